namespace HyperNest.Cli;

/// <summary>The hnest command tree (filled in by the verbs' files).</summary>
public static class CliApp
{
    public static int Run(string[] args)
    {
        Console.Error.WriteLine("hnest: not implemented yet");
        return args.Length == 0 ? 2 : 2;
    }
}
