using System.CommandLine;
using HyperNest.Cli.Json;
using HyperNest.Management.Lifecycle;
using HyperNest.Management.Model;

namespace HyperNest.Cli.Commands;

/// <summary>
/// <c>hnest host show|set|start-vms|stop-vms|install-service</c>: Get-VMHost and Set-VMHost, and the automatic start and
/// stop actions that Hyper-V's service applies when the host starts and shuts down.
/// </summary>
public static class HostCommand
{
    /// <summary>Where install-service writes the unit unless told otherwise.</summary>
    public const string DefaultUnitPath = "/etc/systemd/system/hypernest.service";

    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var command = new Command("host", "This host (Get-VMHost, Set-VMHost) and its VMs' automatic start and stop actions");
        command.Subcommands.Add(Show(stdout));
        command.Subcommands.Add(Set(stdout));
        command.Subcommands.Add(StartVms(stdout, stderr));
        command.Subcommands.Add(StopVms(stdout, stderr));
        command.Subcommands.Add(InstallService(stdout));
        return command;
    }

    private static Command Show(TextWriter stdout)
    {
        Option<bool> json = VmCli.JsonOption();
        return VmCli.Verb("show", "Show this host's processors, memory, MAC address range and paths, and where VMs run (Get-VMHost)",
            parse => Write(stdout, VmCli.Manager().GetHost(), parse.GetValue(json)), json);
    }

    private static Command Set(TextWriter stdout)
    {
        var minimum = new Option<string?>("--mac-address-minimum") { Description = "lowest dynamic MAC address, e.g. 00155D020600" };
        var maximum = new Option<string?>("--mac-address-maximum") { Description = "highest dynamic MAC address, e.g. 00155D0206FF" };
        var vmPath = new Option<string?>("--virtual-machine-path") { Description = "where VMs are kept: only the store's own (another store: HYPERNEST_HOME)" };
        var diskPath = new Option<string?>("--virtual-hard-disk-path") { Description = "default folder of virtual hard disks (an existing folder)" };
        Option<bool> json = VmCli.JsonOption();
        return VmCli.Verb("set", "Change this host's settings (Set-VMHost): the dynamic MAC address range, the default disk folder", parse => Write(stdout,
            VmCli.Manager().SetHost(new HostChanges
            {
                MacAddressMinimum = parse.GetValue(minimum),
                MacAddressMaximum = parse.GetValue(maximum),
                VirtualMachinePath = parse.GetValue(vmPath),
                VirtualHardDiskPath = parse.GetValue(diskPath),
            }), parse.GetValue(json)), minimum, maximum, vmPath, diskPath, json);
    }

    private static Command StartVms(TextWriter stdout, TextWriter stderr)
    {
        var command = new Command("start-vms", "Apply the VMs' automatic start actions, as at the host's start (hypernest.service runs it at boot)");
        command.SetAction(_ => Report(stdout, stderr, VmCli.Manager().StartVms()));
        return command;
    }

    private static Command StopVms(TextWriter stdout, TextWriter stderr)
    {
        var timeout = new Option<int>("--timeout")
        {
            Description = "seconds a ShutDown guest gets before it is turned off",
            DefaultValueFactory = _ => StopOptions.DefaultTimeoutSeconds,
        };
        var command = new Command("stop-vms", "Apply the running VMs' automatic stop actions, as at the host's shutdown (hypernest.service runs it then)") { timeout };
        command.SetAction(parse =>
        {
            int seconds = parse.GetValue(timeout) > 0 ? parse.GetValue(timeout) : throw new UsageException("--timeout must be at least 1 second");
            return Report(stdout, stderr, VmCli.Manager().StopVms(seconds));
        });
        return command;
    }

    private static Command InstallService(TextWriter stdout)
    {
        var unitPath = new Option<string>("--unit-path") { Description = "where to write the unit", DefaultValueFactory = _ => DefaultUnitPath };
        var hnest = new Option<string?>("--hnest") { Description = "the hnest binary the unit runs (default: this one)" };
        return VmCli.Verb("install-service", "Write hypernest.service, which runs host start-vms at boot and host stop-vms at shutdown", parse =>
        {
            string path = parse.GetValue(unitPath)!;
            string binary = parse.GetValue(hnest) ?? Environment.ProcessPath ?? throw new UsageException("--hnest is needed: this process does not know its own path");
            HostService.Write(path, binary, VmCli.Manager().Store.Home);
            stdout.WriteLine($"wrote {path}; enable it with: systemctl daemon-reload && systemctl enable --now {Path.GetFileName(path)}");
        }, unitPath, hnest);
    }

    /// <summary>One line per VM on stdout; each failure also on stderr, and exit code 2 when there was one.</summary>
    private static int Report(TextWriter stdout, TextWriter stderr, IReadOnlyList<AutomaticActionOutcome> outcomes)
    {
        foreach (AutomaticActionOutcome outcome in outcomes)
        {
            stdout.WriteLine($"{outcome.VmName}: {outcome.Action}: {outcome.State}");
            if (outcome.Problem is { } problem)
            {
                stderr.WriteLine($"hnest: '{outcome.VmName}': {outcome.Action} failed: {problem}");
            }
        }

        return outcomes.Any(o => o.Problem is not null) ? ExitCodes.BadInput : ExitCodes.Success;
    }

    private static void Write(TextWriter stdout, VmHostInfo host, bool json)
    {
        if (json)
        {
            VmCli.WriteJson(stdout, host, CliJsonContext.Default.VmHostInfo);
            return;
        }

        VmTable.WriteFields(stdout,
        [
            ("ComputerName", host.ComputerName), ("LogicalProcessorCount", VmTable.Number(host.LogicalProcessorCount)),
            ("MemoryCapacity(M)", VmTable.Number((long)(host.MemoryCapacityBytes >> 20))),
            ("MacAddressMinimum", host.MacAddressMinimum), ("MacAddressMaximum", host.MacAddressMaximum),
            ("VirtualMachinePath", host.VirtualMachinePath), ("VirtualHardDiskPath", host.VirtualHardDiskPath), ("StorePath", host.StorePath),
            ("Accelerator", host.Accelerator),
            ("NestedVirtualization", host.NestedVirtualizationSupported ? "supported" : $"not supported: {host.NestedVirtualizationProblem ?? "see hnest nested status"}"),
        ]);
    }
}
