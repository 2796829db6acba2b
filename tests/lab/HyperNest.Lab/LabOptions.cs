using System.Globalization;

namespace HyperNest.Lab;

/// <summary>The command line of tests/lab/run.</summary>
public sealed record LabOptions
{
    public const string Usage = """
        usage: tests/lab/run <scenario> [--timeout S] [--verbose]
               tests/lab/run --shell-cmd '<command>' [--timeout S] [--verbose]
               tests/lab/run --guest-check <guest-scenario> [--disk FILE[,readonly]] [--cpus N] [--append 'k=v ...'] [--timeout S] [--verbose]
               tests/lab/run --emulated <guest-scenario> [--disk FILE[,readonly]] [--nic SWITCH] [--cpus N] [--memory M] [--append 'k=v ...'] [--timeout S]
        Scenarios are tests/lab/scenarios/<name>.sh (run in the lab host); guest scenarios are tests/lab/guest/<name>.sh.
        --verbose echoes the serial console. Environment: HNEST_BINARY (the hnest to carry), LAB_REPO_ROOT.
        """;

    public string? Scenario { get; private init; }

    public string? ShellCommand { get; private init; }

    public string? GuestCheck { get; private init; }

    /// <summary>--emulated: the guest scenario under <c>hnest run --accel emulated</c> on this host (no lab around it).</summary>
    public string? Emulated { get; private init; }

    public string Memory { get; private init; } = "256M";

    public string? Disk { get; private init; }

    public bool DiskReadOnly { get; private init; }

    public int Cpus { get; private init; } = 1;

    public string GuestAppend { get; private init; } = "";

    /// <summary>--emulated: hnest run's --nic, passed as given (a virtual switch of the caller's store).</summary>
    public string? Nic { get; private init; }

    public TimeSpan? Timeout { get; private init; }

    public bool Verbose { get; private init; }

    public static LabOptions Parse(IReadOnlyList<string> args)
    {
        var options = new LabOptions();
        for (int i = 0; i < args.Count; i++)
        {
            string Value() => ++i < args.Count ? args[i] : throw new LabException($"{args[i - 1]} needs a value");
            options = args[i] switch
            {
                "--shell-cmd" => options with { ShellCommand = Value() },
                "--guest-check" => options with { GuestCheck = Value() },
                "--emulated" => options with { Emulated = Value() },
                "--memory" => options with { Memory = Value() },
                "--disk" => WithDisk(options, Value()),
                "--cpus" => options with { Cpus = int.Parse(Value(), CultureInfo.InvariantCulture) },
                "--append" => options with { GuestAppend = Value() },
                "--nic" => options with { Nic = Value() },
                "--timeout" => options with { Timeout = TimeSpan.FromSeconds(int.Parse(Value(), CultureInfo.InvariantCulture)) },
                "--verbose" or "-v" => options with { Verbose = true },
                string flag when flag.StartsWith('-') => throw new LabException($"unknown option {flag}"),
                string name when options.Scenario is null => options with { Scenario = name },
                string extra => throw new LabException($"unexpected argument {extra}"),
            };
        }

        int modes = new[] { options.Scenario, options.ShellCommand, options.GuestCheck, options.Emulated }.Count(m => m is not null);
        return modes == 1 ? options : throw new LabException("give exactly one of <scenario>, --shell-cmd, --guest-check, --emulated");
    }

    private static LabOptions WithDisk(LabOptions options, string value)
    {
        string[] parts = value.Split(',');
        return options with { Disk = Path.GetFullPath(parts[0]), DiskReadOnly = parts.Skip(1).Contains("readonly") };
    }
}
