namespace HyperNest.Lab;

/// <summary>
/// Finds the NativeAOT <c>hnest</c> the lab carries: $HNEST_BINARY, else artifacts/hnest/hnest (where the lead's
/// launcher publishes it), else a fresh <c>dotnet publish</c> of src/HyperNest.Cli into artifacts/hnest.
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
        if (File.Exists(published))
        {
            return published;
        }

        log("publishing hnest (NativeAOT) into artifacts/hnest");
        ProcessRunner.RunChecked("dotnet",
            ["publish", Path.Combine(paths.RepositoryRoot, "src", "HyperNest.Cli"), "-c", "Release", "-r", "linux-x64", "-o", artifacts, "--nologo"],
            paths.RepositoryRoot);
        return File.Exists(published) ? published : throw new LabException($"dotnet publish did not produce {published}");
    }
}
