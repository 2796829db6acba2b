using HyperNest.Management.Accelerators;
using HyperNest.Cli.Json;
using System.CommandLine;
using HyperNest.Management.Lifecycle;
using HyperNest.Management.Model;

namespace HyperNest.Cli.Commands;

/// <summary><c>hnest vm new|list|show|start|stop|restart|suspend|resume|save|remove-saved-state|remove</c>: Hyper-V's New-VM, Get-VM, Start-VM, ...</summary>
internal static class VmLifecycleCommands
{
    public static IEnumerable<Command> Create(TextWriter stdout, TextWriter stderr)
    {
        yield return New(stdout, stderr);
        yield return List(stdout, stderr);
        yield return Show(stdout);
        yield return Action("start", "Start a VM (Start-VM): its worker runs it in the background", stdout, stderr, (m, n) => m.Start(n));
        yield return Stop(stdout, stderr);
        yield return Restart(stdout, stderr);
        yield return Action("suspend", "Pause a running VM's vCPUs (Suspend-VM)", stdout, stderr, (m, n) => m.Suspend(n));
        yield return Action("resume", "Resume a paused VM (Resume-VM)", stdout, stderr, (m, n) => m.Resume(n));
        yield return Action("save", "Save a running or paused VM's state and end its run (Save-VM); vm start continues it", stdout, stderr, (m, n) => m.Save(n));
        yield return Action("remove-saved-state", "Discard a saved VM's state (Remove-VMSavedState): it is Off, its next start boots", stdout, stderr, (m, n) => m.RemoveSavedState(n));
        yield return Remove();
    }

    private static Command New(TextWriter stdout, TextWriter stderr)
    {
        Argument<string> name = VmCli.NameArgument();
        var memory = new Option<string?>("--memory", "-m") { Description = "startup memory, e.g. 512M or 2G (default 512M)" };
        var count = new Option<int?>("--processor-count", "--cpus") { Description = "number of virtual processors (default 1)" };
        var switchName = new Option<string?>("--switch") { Description = "connect the default network adapter to this switch" };
        var disks = new Option<string[]>("--disk") { Description = "disk image to attach, raw or qcow2 (a .qcow2 file; repeatable)" };
        var newDisk = new Option<string?>("--new-disk") { Description = "make a new dynamic disk (a .qcow2 file) and attach it (New-VM -NewVHDPath); needs --new-disk-size" };
        var newDiskSize = new Option<string?>("--new-disk-size") { Description = "the new disk's size, e.g. 10G (New-VM -NewVHDSizeBytes)" };
        var kernel = new Option<string?>("--kernel") { Description = "bzImage to boot (default: the built-in guest)" };
        var initrd = new Option<string?>("--initrd") { Description = "initial ramdisk" };
        var append = new Option<string?>("--append") { Description = "extra kernel command line" };
        Option<string> accel = VmCli.AcceleratorOption();
        Option<bool> json = VmCli.JsonOption();
        return VmCli.Verb("new", "Create a VM (New-VM)", parse =>
        {
            string? kernelPath = parse.GetValue(kernel);
            VmInfo vm = VmCli.Manager().NewVm(new NewVmOptions
            {
                Name = parse.GetValue(name)!,
                MemoryStartupBytes = VmCli.Size(parse.GetValue(memory), "--memory"),
                ProcessorCount = parse.GetValue(count),
                SwitchName = parse.GetValue(switchName),
                DiskPaths = parse.GetValue(disks) ?? [],
                NewVhdPath = parse.GetValue(newDisk),
                NewVhdSizeBytes = VmCli.Size(parse.GetValue(newDiskSize), "--new-disk-size") is { } size ? (long)Math.Min(size, long.MaxValue) : null,
                Boot = kernelPath is null && parse.GetValue(initrd) is null && parse.GetValue(append) is null
                    ? null
                    : new VmBootSource { KernelPath = kernelPath, InitrdPath = parse.GetValue(initrd), KernelArguments = parse.GetValue(append) },
                Accelerator = AcceleratorParser.Parse(parse.GetValue(accel)!),
            });
            VmCli.WarnOfUnreachableTails(stderr, vm.Configuration.HardDrives.Select(d => d.Path));
            Write(stdout, vm, parse.GetValue(json));
        }, name, memory, count, switchName, disks, newDisk, newDiskSize, kernel, initrd, append, accel, json);
    }

    private static Command List(TextWriter stdout, TextWriter stderr) => VmCli.ListVerb("List the VMs (Get-VM)", stdout, stderr, () =>
    {
        VmListResult result = VmCli.Manager().GetVms();
        return (result.Vms, result.Problems);
    }, () => CliJsonContext.Default.IReadOnlyListVmInfo, VmTable.WriteList);

    private static Command Show(TextWriter stdout)
    {
        Argument<string> name = VmCli.NameArgument();
        Option<bool> json = VmCli.JsonOption();
        return VmCli.Verb("show", "Show one VM's settings and state (Get-VM NAME | Format-List)",
            parse => Write(stdout, VmCli.Manager().GetVm(parse.GetValue(name)!), parse.GetValue(json)), name, json);
    }

    private static Command Stop(TextWriter stdout, TextWriter stderr)
    {
        var turnOff = new Option<bool>("--turn-off") { Description = "cut the power instead of waiting for the guest to shut down" };
        var force = new Option<bool>("--force") { Description = "turn the VM off if the guest does not shut down in time" };
        var timeout = new Option<int>("--timeout") { Description = "seconds to wait for the guest to shut down", DefaultValueFactory = _ => StopOptions.DefaultTimeoutSeconds };
        return Action("stop", "Shut a VM down, or turn it off (Stop-VM [-TurnOff] [-Force])", stdout, stderr, (m, n, parse) => m.Stop(n, new StopOptions
        {
            TurnOff = parse.GetValue(turnOff),
            Force = parse.GetValue(force),
            TimeoutSeconds = parse.GetValue(timeout) > 0 ? parse.GetValue(timeout) : throw new UsageException("--timeout must be at least 1 second"),
        }), turnOff, force, timeout);
    }

    /// <summary>
    /// Restart-VM: a hard reset (--type reset, the default) of a running or paused VM; --type reboot is refused in one
    /// line (no channel to the guest's OS). Without --force it asks first, as Restart-VM does; no terminal answers no.
    /// </summary>
    private static Command Restart(TextWriter stdout, TextWriter stderr)
    {
        var force = new Option<bool>("--force") { Description = "restart without asking for confirmation" };
        var type = new Option<string>("--type")
        {
            Description = "reset (a hard reset: the VM boots again with the same settings and disks) or reboot (ask the guest's OS: not supported yet)",
            DefaultValueFactory = _ => "reset",
        };
        Argument<string> name = VmCli.NameArgument();
        Option<bool> json = VmCli.JsonOption();
        return VmCli.Verb("restart", "Restart a running VM (Restart-VM [-Force] [-Type Reset|Reboot]): a hard reset, as a power cut and power on", parse =>
        {
            string vm = parse.GetValue(name)!;
            RestartType how = parse.GetValue(type)!.ToLowerInvariant() switch
            {
                "reset" => RestartType.Reset,
                "reboot" => RestartType.Reboot,
                string other => throw new UsageException($"--type '{other}' is not reset or reboot"),
            };
            // Only a VM that runs is worth the question: any other gets Restart's own refusal first.
            VmManager manager = VmCli.Manager();
            bool runs = manager.GetVm(vm).State is VmState.Running or VmState.Paused;
            if (runs && how == RestartType.Reset && !VmCli.Ask($"Restart '{vm}'? A reset loses what its guest has not written to disk.", parse.GetValue(force), stdout))
            {
                stdout.WriteLine("Nothing changed.");
                return;
            }

            Report(stdout, stderr, manager.Restart(vm, how), parse.GetValue(json));
        }, name, force, type, json);
    }

    private static Command Remove()
    {
        Argument<string> name = VmCli.NameArgument();
        var force = new Option<bool>("--force") { Description = "turn a running VM off first" };
        var deleteDisks = new Option<bool>("--delete-disks") { Description = "also delete the VM's disk images" };
        return VmCli.Verb("remove", "Delete a VM (Remove-VM); its disk images stay unless --delete-disks",
            parse => VmCli.Manager().RemoveVm(parse.GetValue(name)!, parse.GetValue(force), parse.GetValue(deleteDisks)), name, force, deleteDisks);
    }

    private static Command Action(string verb, string description, TextWriter stdout, TextWriter stderr, Func<VmManager, string, VmActionResult> act) =>
        Action(verb, description, stdout, stderr, (m, n, _) => act(m, n));

    private static Command Action(
        string verb, string description, TextWriter stdout, TextWriter stderr, Func<VmManager, string, ParseResult, VmActionResult> act, params Option[] options)
    {
        Argument<string> name = VmCli.NameArgument();
        Option<bool> json = VmCli.JsonOption();
        return VmCli.Verb(verb, description, parse =>
        {
            Report(stdout, stderr, act(VmCli.Manager(), parse.GetValue(name)!, parse), parse.GetValue(json));
        }, [name, json, .. options]);
    }

    /// <summary>An action's outcome: its warning on stderr, then the VM as JSON or "NAME: State (why it is Off)".</summary>
    private static void Report(TextWriter stdout, TextWriter stderr, VmActionResult result, bool json)
    {
        VmCli.Warn(stderr, result.Warning);
        if (json)
        {
            VmCli.WriteJson(stdout, result.Vm, CliJsonContext.Default.VmInfo);
        }
        else
        {
            stdout.WriteLine($"{result.Vm.Name}: {result.Vm.State}" + (result.Vm.State == VmState.Off && result.Vm.LastStopReason is { } why ? $" ({why})" : string.Empty));
        }
    }

    private static void Write(TextWriter stdout, VmInfo vm, bool json)
    {
        if (json)
        {
            VmCli.WriteJson(stdout, vm, CliJsonContext.Default.VmInfo);
        }
        else
        {
            VmTable.WriteDetails(stdout, vm);
        }
    }

    internal static void WriteVm(TextWriter stdout, VmInfo vm, bool json) => Write(stdout, vm, json);
}
