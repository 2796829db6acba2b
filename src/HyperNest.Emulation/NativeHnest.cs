namespace HyperNest.Emulation;

/// <summary>
/// The NativeAOT hnest binary the emulated host carries: this process when it is that binary, else
/// $HYPERNEST_BINARY (set by the repository's launcher and by test runs that execute hnest.dll under dotnet).
/// </summary>
public static class NativeHnest
{
    public const string Variable = "HYPERNEST_BINARY";

    public static string Locate()
    {
        string? process = Environment.ProcessPath;
        if (process is not null && Path.GetFileName(process) == "hnest")
        {
            return process;
        }

        if (Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } configured && File.Exists(configured))
        {
            return Path.GetFullPath(configured);
        }

        throw new EmulationException(
            $"the emulated host carries the NativeAOT hnest binary, which was not found: build it with ./hnest, or set {Variable} to its path");
    }
}
