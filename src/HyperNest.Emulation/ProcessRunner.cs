using HyperNest.Kvm;
using System.Diagnostics;

namespace HyperNest.Emulation;

/// <summary>Runs host tools (apt-get, dpkg, ldd, dotnet) to completion and captures what they print.</summary>
public static class ProcessRunner
{
    public sealed record Result(int ExitCode, string StandardOutput, string StandardError)
    {
        public bool Succeeded => ExitCode == 0;

        /// <summary>This result, or a <see cref="EmulationException"/> naming <paramref name="what"/> when it failed.</summary>
        public Result ThrowIfFailed(string what) => Succeeded
            ? this
            : throw new EmulationException($"{what} exited with {ExitCode}: {LastLines(StandardError.Length > 0 ? StandardError : StandardOutput)}");
    }

    public static Result Run(string fileName, IEnumerable<string> arguments, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DEBIAN_FRONTEND"] = "noninteractive";
        Process? started;
        try
        {
            started = Process.Start(start);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            // A minimal host (an emulated host, a container) may lack the tool altogether.
            throw new EmulationException($"{fileName} cannot be run here: {e.UserMessage()}");
        }

        using Process process = started ?? throw new EmulationException($"could not start {fileName}");
        process.StandardInput.Close();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return new Result(process.ExitCode, stdout, stderr.Result);
    }

    /// <summary>Runs a tool and throws a <see cref="EmulationException"/> naming it when it fails.</summary>
    public static Result RunChecked(string fileName, IEnumerable<string> arguments, string? workingDirectory = null)
    {
        string[] args = arguments.ToArray();
        return Run(fileName, args, workingDirectory).ThrowIfFailed($"{fileName} {string.Join(' ', args)}");
    }

    /// <summary>Finds an executable on PATH, as the shell would.</summary>
    public static string? FindOnPath(string name)
    {
        foreach (string directory in (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin").Split(':'))
        {
            string candidate = Path.Combine(directory, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    private static string LastLines(string text)
    {
        string[] lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return string.Join(" | ", lines.TakeLast(3));
    }
}
