using HyperNest.Fuzz;
using SharpFuzz;

// HyperNest.Fuzz <target>                under fuzz/run (libFuzzer through dotnet-bridge): serves the fuzzer
// HyperNest.Fuzz <target> <file|folder>... replays the inputs, one line per input; exit 1 if any failed
// HyperNest.Fuzz --list                  the targets, a line each
if (args.Length == 0 || args[0] == "--list")
{
    foreach (var t in FuzzTargets.All)
    {
        Console.WriteLine($"{t.Name,-22} {t.Description}");
    }

    return args.Length == 0 ? 2 : 0;
}

if (FuzzTargets.Find(args[0]) is not { } target)
{
    Console.Error.WriteLine($"hnest-fuzz: no target named '{args[0]}' (--list names them)");
    return 2;
}

if (args.Length == 1)
{
    if (Environment.GetEnvironmentVariable("__LIBFUZZER_SHM_ID") is null)
    {
        Console.Error.WriteLine("hnest-fuzz: give input files, or run under fuzz/run");
        return 2;
    }

    Fuzzer.LibFuzzer.Run(target.Run);
    return 0;
}

// Replaying on the instrumented build fuzz/run made: its branches count into a map that only the fuzzer sets up.
ReplayCoverage.Initialize();
int failures = 0;
foreach (string file in args[1..].SelectMany(a => Directory.Exists(a) ? Directory.GetFiles(a) : [a]).Order(StringComparer.Ordinal))
{
    try
    {
        target.Run(File.ReadAllBytes(file));
    }
    catch (Exception e)
    {
        failures++;
        Console.WriteLine($"FAIL {file}: {e}");
    }
}

return failures == 0 ? 0 : 1;
