using HyperNest.Kvm;

namespace HyperNest.Cli;

public static class Program
{
    /// <summary>
    /// Stacks of threads hnest does not create itself (the runtime's signal-handling thread): 1.5 MiB, what .NET gives
    /// its threads on Windows and macOS, and what the binary's Thread_DefaultStackSize gives its own
    /// (HyperNest.Cli.csproj). Below 2 MiB, a stack can never be given a transparent huge page.
    /// </summary>
    private const ulong ThreadStackBytes = 1536 * 1024;

    public static int Main(string[] args)
    {
        ThreadStacks.SetDefaultSize(ThreadStackBytes);
        return CliApp.Run(args);
    }
}
