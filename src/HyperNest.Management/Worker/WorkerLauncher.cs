using System.Diagnostics;

namespace HyperNest.Management.Worker;

/// <summary>
/// Starts a VM's worker: the hnest binary with its hidden verb <c>worker --home H --vm ID</c>. The worker detaches
/// itself (setsid, stdio to /dev/null and worker.log), so it outlives the command that started it.
/// </summary>
public sealed class WorkerLauncher(string fileName, IReadOnlyList<string> prefixArguments)
{
    public const string Verb = "worker";

    public string FileName { get; } = fileName;

    public IReadOnlyList<string> PrefixArguments { get; } = prefixArguments;

    /// <summary>The running hnest: the NativeAOT binary itself, or <c>dotnet hnest.dll</c> when run from a build.</summary>
    public static WorkerLauncher ForCurrentProcess()
    {
        string process = Environment.ProcessPath ?? throw new InvalidOperationException("the path of this process is unknown");
        return Path.GetFileNameWithoutExtension(process) == "dotnet"
            ? new WorkerLauncher(process, [Path.Combine(AppContext.BaseDirectory, "hnest.dll")])
            : new WorkerLauncher(process, []);
    }

    internal Process Launch(string home, Guid id)
    {
        var start = new ProcessStartInfo(FileName)
        {
            UseShellExecute = false,
            // Pipes, closed at once: the worker must not hold the caller's terminal or output pipes open.
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (string argument in PrefixArguments.Concat([Verb, "--home", home, "--vm", id.ToString()]))
        {
            start.ArgumentList.Add(argument);
        }

        Process process = Process.Start(start) ?? throw new VmOperationException($"cannot start {FileName}");
        process.StandardInput.Close();
        process.StandardOutput.Close();
        process.StandardError.Close();
        return process;
    }
}
