using HyperNest.Emulation;

namespace HyperNest.Lab;

/// <summary>
/// Finds the NativeAOT <c>hnest</c> the lab carries: $HNEST_BINARY, else artifacts/hnest/hnest (where the repository's
/// launcher publishes it), else a fresh <c>dotnet publish</c> of src/HyperNest.Cli into artifacts/hnest. A published
/// binary older than any source under src/ (or the build props) is published again, so the lab never tests stale code.
/// </summary>
public static class HnestBinary
{
    public const string EnvironmentVariable = "HNEST_BINARY";

    public static string Locate(LabPaths paths, Action<string> log)
    {
        string? fromEnvironment = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrEmpty(fromEnvironment))
        {
            return File.Exists(fromEnvironment)
                ? Path.GetFullPath(fromEnvironment)
                : throw new LabException($"{EnvironmentVariable}={fromEnvironment} does not exist");
        }

        string artifacts = Path.Combine(paths.RepositoryRoot, "artifacts", "hnest");
        string published = Path.Combine(artifacts, "hnest");
        string? newerSource = File.Exists(published) ? NewerSource(paths, File.GetLastWriteTimeUtc(published)) : null;
        if (File.Exists(published) && newerSource is null)
        {
            log($"carrying {published} ({File.GetLastWriteTime(published):yyyy-MM-dd HH:mm:ss})");
            return published;
        }

        log(newerSource is null
            ? "publishing hnest (NativeAOT) into artifacts/hnest"
            : $"publishing hnest again: {Path.GetRelativePath(paths.RepositoryRoot, newerSource)} is newer than artifacts/hnest/hnest");
        DateTime started = DateTime.UtcNow;
        ProcessRunner.RunChecked("dotnet",
            ["publish", Path.Combine(paths.RepositoryRoot, "src", "HyperNest.Cli"), "-c", "Release", "-r", "linux-x64", "-o", artifacts, "--nologo"],
            paths.RepositoryRoot);
        if (!File.Exists(published))
        {
            throw new LabException($"dotnet publish did not produce {published}");
        }

        // The binary is as new as the sources the publish read, not as its own write: a source saved while the
        // publish ran is newer than this and gets published next time.
        File.SetLastWriteTimeUtc(published, started);
        return published;
    }

    private static string? NewerSource(LabPaths paths, DateTime binaryTime)
    {
        IEnumerable<string> sources = Directory
            .EnumerateFiles(Path.Combine(paths.RepositoryRoot, "src"), "*", SearchOption.AllDirectories)
            .Where(f => !f.Contains("/bin/", StringComparison.Ordinal) && !f.Contains("/obj/", StringComparison.Ordinal))
            .Concat(Directory.EnumerateFiles(paths.RepositoryRoot, "Directory.*.props"));
        return sources.FirstOrDefault(f => File.GetLastWriteTimeUtc(f) > binaryTime);
    }
}
