using System.Diagnostics;

namespace HyperNest.PowerShell.Tests;

/// <summary>Runs a child process to its end: stdin given (or closed), stdout and stderr read whole.</summary>
public static class ChildProcess
{
    public static PwshResult Run(ProcessStartInfo start, string? input = null, int timeoutMinutes = 2)
    {
        start.UseShellExecute = false;
        start.RedirectStandardInput = true;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        using Process process = Process.Start(start)!;
        if (input is not null)
        {
            process.StandardInput.Write(input);
        }

        process.StandardInput.Close();
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(timeoutMinutes)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{start.FileName} {string.Join(' ', start.ArgumentList)} did not finish");
        }

        var result = new PwshResult(process.ExitCode, stdout.GetAwaiter().GetResult(), stderr.GetAwaiter().GetResult());
        UserFacingText.AssertClean(result.Stdout + result.Stderr, $"{start.FileName} {string.Join(' ', start.ArgumentList)}");
        return result;
    }
}
