namespace HyperNest.PowerShell;

/// <summary>
/// Finds the hnest binary that runs a VM's worker. Inside pwsh the current process is pwsh, not hnest, so the
/// library's <c>WorkerLauncher.ForCurrentProcess</c> does not apply: $HYPERNEST_BINARY (set by <c>./hnest pwsh</c>),
/// else the binary published beside the module (artifacts/hnest/hnest next to artifacts/powershell/HyperNest),
/// else hnest on PATH.
/// </summary>
public static class HnestBinary
{
    public const string Variable = "HYPERNEST_BINARY";

    /// <summary>The hnest binary to start workers with; null when there is none.</summary>
    public static string? Locate()
    {
        if (Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } configured)
        {
            string full = Path.GetFullPath(configured);
            return File.Exists(full) ? full : null;
        }

        string moduleFolder = Path.GetDirectoryName(typeof(HnestBinary).Assembly.Location) ?? AppContext.BaseDirectory;
        string beside = Path.GetFullPath(Path.Combine(moduleFolder, "..", "..", "hnest", "hnest"));
        if (File.Exists(beside))
        {
            return beside;
        }

        return (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => Path.Combine(folder, "hnest"))
            .FirstOrDefault(File.Exists);
    }

    public static string NotFoundMessage =>
        $"The hnest binary that runs virtual machines was not found: set {Variable} to its path, put it on PATH, or start PowerShell with './hnest pwsh'.";
}
