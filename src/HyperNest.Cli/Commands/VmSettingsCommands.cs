using HyperNest.Management.Accelerators;
using System.CommandLine;
using HyperNest.Management.Model;

namespace HyperNest.Cli.Commands;

/// <summary><c>hnest vm set-processor|set-memory|set-boot</c>: Set-VMProcessor, Set-VMMemory and the boot source.</summary>
internal static class VmSettingsCommands
{
    public static IEnumerable<Command> Create(TextWriter stdout)
    {
        yield return Set(stdout);
        yield return SetProcessor(stdout);
        yield return SetMemory(stdout);
        yield return SetBoot(stdout);
    }

    private static Command Set(TextWriter stdout)
    {
        Argument<string> name = VmCli.NameArgument();
        Option<string> accel = VmCli.AcceleratorOption();
        Option<bool> json = VmCli.JsonOption();
        return VmCli.Verb("set", "Change VM-wide settings (Set-VM): the accelerator (VM must be Off)", parse => VmLifecycleCommands.WriteVm(stdout,
            VmCli.Manager().SetAccelerator(parse.GetValue(name)!, AcceleratorParser.Parse(parse.GetValue(accel)!)),
            parse.GetValue(json)), name, accel, json);
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
