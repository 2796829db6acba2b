using System.Diagnostics;
using System.Text.Json;

namespace HyperNest.PowerShell.Tests;

/// <summary>
/// A fresh HYPERNEST_HOME (short: control socket paths must fit in 108 bytes) and pwsh child processes that use it,
/// with the module on PSModulePath (auto-loaded, never imported by the tests) and HYPERNEST_BINARY set.
/// </summary>
public sealed class PowerShellHome : IDisposable
{
    /// <summary>Appended to a script: every error of the session, oldest first, as JSON.</summary>
    private const string ErrorsAsJson =
        "; $__errors = @($Error | ForEach-Object { [pscustomobject]@{ Category = $_.CategoryInfo.Category.ToString(); " +
        "Id = $_.FullyQualifiedErrorId; Target = [string]$_.TargetObject; Message = $(if ($_.ErrorDetails) { $_.ErrorDetails.Message } else { $_.Exception.Message }) } }); " +
        "[array]::Reverse($__errors); ConvertTo-Json -InputObject $__errors -Compress";

    public PowerShellHome()
    {
        Path = System.IO.Path.Combine("/tmp", $"hnps-{Guid.NewGuid().ToString("N")[..10]}");
        // Owner-only, as HyperNest makes a store: a wider one would be tightened, with a warning, on first use.
        Directory.CreateDirectory(Path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    public string Path { get; }

    /// <summary>
    /// Runs a script with -NonInteractive; <paramref name="input"/> answers prompts when given (then interactive);
    /// <paramref name="wrapper"/> runs pwsh under a command (setpriv dropping a capability).
    /// </summary>
    public PwshResult Run(string script, string? input = null, string[]? wrapper = null)
    {
        // `dotnet pwsh` finds the tool manifest (.config/dotnet-tools.json) from the working directory.
        string[] command = [.. wrapper ?? [], "dotnet", "pwsh", "-NoProfile", .. input is null ? ["-NonInteractive"] : Array.Empty<string>(), "-Command", script];
        var start = new ProcessStartInfo(command[0]) { WorkingDirectory = Repository.Root };
        foreach (string arg in command[1..])
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["HYPERNEST_BINARY"] = Repository.HnestBinary;
        start.Environment["PSModulePath"] = Repository.ModulePath;
        return ChildProcess.Run(WithHome(start), input);
    }

    /// <summary>Runs a script that must succeed: exit code 0 and no error records.</summary>
    public PwshResult Ok(string script)
    {
        PwshResult result = Run(script);
        Assert.True(result.ExitCode == 0 && result.Stderr.Length == 0, $"pwsh exited {result.ExitCode} for: {script}\n{result.Stderr}");
        return result;
    }

    /// <summary>What the script writes, converted to JSON by ConvertTo-Json (always an array; enums as names).</summary>
    public JsonElement Json(string script) =>
        Ok($"$__out = @({script}); ConvertTo-Json -InputObject $__out -Depth 5 -EnumsAsStrings -Compress").Json();

    /// <summary>The error records the script produced (under <paramref name="wrapper"/>, when given), oldest first.</summary>
    public IReadOnlyList<PwshError> Errors(string script, string[]? wrapper = null) =>
        [.. Run(script + ErrorsAsJson, wrapper: wrapper).Json().EnumerateArray().Select(e => new PwshError(
            e.GetProperty("Category").GetString()!, e.GetProperty("Id").GetString()!, e.GetProperty("Target").GetString()!, e.GetProperty("Message").GetString()!))];

    /// <summary>One VM's property, read through Get-VM.</summary>
    public string VmProperty(string name, string property) => Ok($"(Get-VM '{name}').{property}").Stdout.Trim();

    /// <summary><paramref name="start"/> with this home as HYPERNEST_HOME, and plain output (no colours).</summary>
    public ProcessStartInfo WithHome(ProcessStartInfo start)
    {
        start.Environment["HYPERNEST_HOME"] = Path;
        start.Environment["NO_COLOR"] = "1";
        start.Environment["TERM"] = "dumb";
        return start;
    }

    public void Dispose()
    {
        // Workers left running by a failed test are turned off before their folder goes.
        string vms = System.IO.Path.Combine(Path, "vms");
        foreach (string vm in Directory.Exists(vms) ? Directory.GetDirectories(vms) : [])
        {
            ChildProcess.Run(WithHome(new ProcessStartInfo(Repository.HnestBinary, ["vm", "stop", System.IO.Path.GetFileName(vm), "--turn-off"])));
        }

        Directory.Delete(Path, recursive: true);
    }
}
