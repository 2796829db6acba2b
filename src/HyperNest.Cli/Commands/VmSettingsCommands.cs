using HyperNest.Management.Accelerators;
using System.CommandLine;
using HyperNest.Management.Model;

namespace HyperNest.Cli.Commands;

/// <summary><c>hnest vm set|rename|set-processor|set-memory|set-boot</c>: Set-VM, Rename-VM, Set-VMProcessor, Set-VMMemory and the boot source.</summary>
internal static class VmSettingsCommands
{
    public static IEnumerable<Command> Create(TextWriter stdout)
    {
        yield return Set(stdout);
        yield return Rename(stdout);
        yield return SetProcessor(stdout);
        yield return SetMemory(stdout);
        yield return SetBoot(stdout);
    }

    private static Command Set(TextWriter stdout)
    {
        Argument<string> name = VmCli.NameArgument();
        Option<string> accel = VmCli.AcceleratorOption(defaultAuto: false);
        var count = new Option<int?>("--processor-count", "--cpus") { Description = "number of virtual processors (VM must be Off)" };
        var memory = new Option<string?>("--memory", "--memory-startup") { Description = "startup memory, e.g. 1G (VM must be Off; set-memory changes a running VM)" };
        var dynamic = new Option<bool>("--dynamic-memory") { Description = "use Dynamic Memory (VM must be Off)" };
        var staticMemory = new Option<bool>("--static-memory") { Description = "use static memory (VM must be Off)" };
        var minimum = new Option<string?>("--memory-minimum") { Description = "minimum memory (dynamic memory only)" };
        var maximum = new Option<string?>("--memory-maximum") { Description = "maximum memory (dynamic memory only)" };
        var notes = new Option<string?>("--notes") { Description = "free text kept with the VM (\"\" clears it)" };
        Option<string?> startAction = VmCli.EnumOption<StartAction>("--automatic-start-action", "what the VM does when the host starts (hnest host start-vms)");
        var startDelay = new Option<int?>("--automatic-start-delay") { Description = "seconds after the host starts before the automatic start" };
        Option<string?> stopAction = VmCli.EnumOption<StopAction>("--automatic-stop-action", "what the running VM undergoes when the host shuts down (hnest host stop-vms)");
        var newName = new Option<string?>("--new-name") { Description = "rename the VM (as vm rename)" };
        Option<bool> json = VmCli.JsonOption();
        return VmCli.Verb("set", "Change VM-wide settings (Set-VM): processors, memory, notes, automatic start and stop actions, name, accelerator", parse =>
        {
            if (parse.GetValue(dynamic) && parse.GetValue(staticMemory))
            {
                throw new UsageException("--dynamic-memory and --static-memory cannot be given together");
            }

            var changes = new VmChanges
            {
                ProcessorCount = parse.GetValue(count),
                MemoryStartupBytes = VmCli.Size(parse.GetValue(memory), "--memory"),
                DynamicMemoryEnabled = parse.GetValue(dynamic) ? true : parse.GetValue(staticMemory) ? false : null,
                MemoryMinimumBytes = VmCli.Size(parse.GetValue(minimum), "--memory-minimum"),
                MemoryMaximumBytes = VmCli.Size(parse.GetValue(maximum), "--memory-maximum"),
                Notes = parse.GetValue(notes),
                AutomaticStartAction = VmCli.EnumValue<StartAction>(parse, startAction),
                AutomaticStartDelay = parse.GetValue(startDelay),
                AutomaticStopAction = VmCli.EnumValue<StopAction>(parse, stopAction),
                NewName = parse.GetValue(newName),
                Accelerator = parse.GetValue(accel) is { } text ? AcceleratorParser.Parse(text) : null,
            };
            VmLifecycleCommands.WriteVm(stdout, VmCli.Manager().SetVm(parse.GetValue(name)!, changes), parse.GetValue(json));
        }, name, count, memory, dynamic, staticMemory, minimum, maximum, notes, startAction, startDelay, stopAction, newName, accel, json);
    }

    private static Command Rename(TextWriter stdout)
    {
        Argument<string> name = VmCli.NameArgument();
        var newName = new Argument<string>("new-name") { Description = "the VM's new name" };
        Option<bool> json = VmCli.JsonOption();
        return VmCli.Verb("rename", "Rename a VM (Rename-VM), in any state: a running VM goes on running",
            parse => VmLifecycleCommands.WriteVm(stdout, VmCli.Manager().RenameVm(parse.GetValue(name)!, parse.GetValue(newName)!), parse.GetValue(json)), name, newName, json);
    }

    private static Command SetProcessor(TextWriter stdout)
    {
        Argument<string> name = VmCli.NameArgument();
        var count = new Option<int?>("--count") { Description = "number of virtual processors (VM must be Off)" };
        var expose = VmCli.TrueFalseOption("--expose-virtualization-extensions", "true|false: nested virtualization (VM must be Off)");
        Option<bool> json = VmCli.JsonOption();
        return VmCli.Verb("set-processor", "Change processor settings (Set-VMProcessor)", parse => VmLifecycleCommands.WriteVm(stdout,
            VmCli.Manager().SetProcessor(parse.GetValue(name)!, new ProcessorChanges { Count = parse.GetValue(count), ExposeVirtualizationExtensions = VmCli.TrueFalse(parse, expose) }),
            parse.GetValue(json)), name, count, expose, json);
    }

    private static Command SetMemory(TextWriter stdout)
    {
        Argument<string> name = VmCli.NameArgument();
        var startup = new Option<string?>("--startup") { Description = "startup memory, e.g. 1G" };
        var dynamic = VmCli.TrueFalseOption("--dynamic-memory", "true|false");
        var minimum = new Option<string?>("--minimum") { Description = "minimum memory (dynamic memory only)" };
        var maximum = new Option<string?>("--maximum") { Description = "maximum memory (dynamic memory only)" };
        var buffer = new Option<int?>("--buffer") { Description = "memory buffer in percent, 5-2000 (dynamic memory only)" };
        var priority = new Option<int?>("--priority") { Description = "memory weight, 0-100" };
        Option<bool> json = VmCli.JsonOption();
        return VmCli.Verb("set-memory", "Change memory settings (Set-VMMemory)", parse =>
        {
            var changes = new MemoryChanges
            {
                StartupBytes = VmCli.Size(parse.GetValue(startup), "--startup"),
                DynamicMemoryEnabled = VmCli.TrueFalse(parse, dynamic),
                MinimumBytes = VmCli.Size(parse.GetValue(minimum), "--minimum"),
                MaximumBytes = VmCli.Size(parse.GetValue(maximum), "--maximum"),
                Buffer = parse.GetValue(buffer),
                Priority = parse.GetValue(priority),
            };
            VmLifecycleCommands.WriteVm(stdout, VmCli.Manager().SetMemory(parse.GetValue(name)!, changes), parse.GetValue(json));
        }, name, startup, dynamic, minimum, maximum, buffer, priority, json);
    }

    private static Command SetBoot(TextWriter stdout)
    {
        Argument<string> name = VmCli.NameArgument();
        var kernel = new Option<string?>("--kernel") { Description = "bzImage to boot" };
        var initrd = new Option<string?>("--initrd") { Description = "initial ramdisk" };
        var append = new Option<string?>("--append") { Description = "extra kernel command line" };
        var builtIn = new Option<bool>("--built-in") { Description = "boot the built-in guest again" };
        Option<bool> json = VmCli.JsonOption();
        return VmCli.Verb("set-boot", "Change what the VM boots: the built-in guest or a Linux kernel", parse => VmLifecycleCommands.WriteVm(stdout,
            VmCli.Manager().SetBoot(parse.GetValue(name)!, new BootChanges
            {
                KernelPath = parse.GetValue(kernel),
                InitrdPath = parse.GetValue(initrd),
                KernelArguments = parse.GetValue(append),
                BuiltIn = parse.GetValue(builtIn),
            }), parse.GetValue(json)), name, kernel, initrd, append, builtIn, json);
    }
}
