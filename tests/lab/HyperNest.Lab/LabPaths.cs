namespace HyperNest.Lab;

/// <summary>Where the lab's inputs (scripts in tests/lab) and its cache (.lab-cache, git-ignored) live.</summary>
public sealed class LabPaths
{
    private LabPaths(string repositoryRoot)
    {
        RepositoryRoot = repositoryRoot;
        LabSources = Path.Combine(repositoryRoot, "tests", "lab");
        Cache = Path.Combine(repositoryRoot, ".lab-cache");
    }

    public string RepositoryRoot { get; }

    /// <summary>tests/lab: scenarios/, guest/, init/.</summary>
    public string LabSources { get; }

    public string Cache { get; }

    public string Scenarios => Path.Combine(LabSources, "scenarios");

    public string GuestScenarios => Path.Combine(LabSources, "guest");

    public string InitScripts => Path.Combine(LabSources, "init");

    public string Logs => CacheDirectory("logs");

    /// <summary>A subdirectory of the cache, created on first use.</summary>
    public string CacheDirectory(string name) => Directory.CreateDirectory(Path.Combine(Cache, name)).FullName;

    /// <summary>The repository root: $LAB_REPO_ROOT (set by tests/lab/run), else the nearest parent holding HyperNest.sln.</summary>
    public static LabPaths Locate()
    {
        string? fromEnvironment = Environment.GetEnvironmentVariable("LAB_REPO_ROOT");
        if (!string.IsNullOrEmpty(fromEnvironment))
        {
            return new LabPaths(Path.GetFullPath(fromEnvironment));
        }

        for (var directory = new DirectoryInfo(Environment.CurrentDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "HyperNest.sln")))
            {
                return new LabPaths(directory.FullName);
            }
        }

        throw new LabException("cannot find the repository root (no HyperNest.sln above the current directory; set LAB_REPO_ROOT)");
    }
}
