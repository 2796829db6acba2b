using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;

namespace HyperNest.PowerShell.Tests;

/// <summary>The repository the tests run from: its root, the module as <c>dotnet build -o</c> lays it out, and the hnest binary.</summary>
public static class Repository
{
    private static readonly Lazy<string> Binary = new(BuildHnest);

    private static readonly Lazy<string> ModuleRoot = new(BuildModule);

    public static string Root { get; } = FindRoot();

    /// <summary>The NativeAOT hnest binary that runs the VMs' workers, built by the launcher when stale.</summary>
    public static string HnestBinary => Binary.Value;

    /// <summary>A folder for PSModulePath holding HyperNest/ (the manifest, the format file and the dlls).</summary>
    public static string ModulePath => ModuleRoot.Value;

    private static string FindRoot()
    {
        for (string? folder = AppContext.BaseDirectory; folder is not null; folder = Path.GetDirectoryName(folder))
        {
            if (File.Exists(Path.Combine(folder, "HyperNest.sln")))
            {
                return folder;
            }
        }

        throw new InvalidOperationException($"no HyperNest.sln above {AppContext.BaseDirectory}");
    }

    private static string BuildHnest()
    {
        Run(Path.Combine(Root, "hnest"), "--version");
        return Path.Combine(Root, "artifacts", "hnest", "hnest");
    }

    /// <summary>
    /// The module this test build made (the project reference builds it, and copies the manifest and format file
    /// beside the tests): a folder named HyperNest, as module auto-loading wants, linked to it.
    /// </summary>
    private static string BuildModule()
    {
        // One folder per test build output (not per run), so runs do not leave new ones behind.
        string build = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(AppContext.BaseDirectory)))[..12];
        string root = Path.Combine(Path.GetTempPath(), $"hnps-modules-{build}");
        string module = Path.Combine(root, "HyperNest");
        if (!Directory.Exists(module))
        {
            Directory.CreateDirectory(root);
            Directory.CreateSymbolicLink(module, AppContext.BaseDirectory.TrimEnd('/'));
        }

        return root;
    }

    private static void Run(string file, params string[] args)
    {
        PwshResult result = ChildProcess.Run(new ProcessStartInfo(file, args) { WorkingDirectory = Root }, timeoutMinutes: 10);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited {result.ExitCode}: {result.Stderr}");
        }
    }
}
