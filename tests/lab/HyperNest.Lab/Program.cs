namespace HyperNest.Lab;

public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help")
        {
            Console.Error.WriteLine(LabOptions.Usage);
            return args.Length == 0 ? 2 : 0;
        }

        LabOptions options;
        LabPaths paths;
        try
        {
            options = LabOptions.Parse(args);
            paths = LabPaths.Locate();
        }
        catch (LabException failure)
        {
            Console.Error.WriteLine($"lab: {failure.Message}");
            Console.Error.WriteLine(LabOptions.Usage);
            return 2;
        }

        var runner = new LabRunner(paths, options);
        return options switch
        {
            { ShellCommand: string command } => runner.RunShellCommand(command),
            { GuestCheck: string guest } => runner.RunGuestCheck(guest),
            { Emulated: string guest } => runner.RunEmulated(guest),
            _ => runner.RunScenario(options.Scenario!),
        };
    }
}
