using HyperNest.Worker;
using HyperNest.Worker.Network;
using System.CommandLine;
using System.Runtime.InteropServices;
using HyperNest.Emulation;
using HyperNest.Emulation.Image;
using HyperNest.Kvm;
using HyperNest.Management.Accelerators;
using HyperNest.Vmm;
using Microsoft.Win32.SafeHandles;

namespace HyperNest.Cli.Commands;

/// <summary><c>hnest run</c>: one VM in the foreground, its serial console on stdin/stdout.</summary>
public static class RunCommand
{
    /// <summary>How long SIGTERM's power-button press waits for the guest before cutting the power.</summary>
    public static readonly TimeSpan GracefulShutdownTimeout = TimeSpan.FromSeconds(30);

    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var kernel = new Option<string?>("--kernel") { Description = "bzImage to boot (default: the built-in guest)" };
        var initrd = new Option<string?>("--initrd") { Description = "initial ramdisk" };
        var append = new Option<string?>("--append") { Description = "extra kernel command line" };
        var memory = new Option<string>("--memory", "-m") { Description = "guest RAM, e.g. 512M or 2G", DefaultValueFactory = _ => "512M" };
        var cpus = new Option<int>("--cpus", "-c") { Description = "number of vCPUs", DefaultValueFactory = _ => 1 };
        var nested = new Option<bool>("--expose-virtualization-extensions", "--nested")
        {
            Description = "give the guest the host's VMX/SVM so it can run its own VMs (nested virtualization)",
        };
        var disks = new Option<string[]>("--disk") { Description = "disk image: PATH[,readonly][,serial=ID][,format=raw|qcow2] (format: qcow2 for a .qcow2 file, else raw; repeatable)", AllowMultipleArgumentsPerToken = false };
        var accel = new Option<string>("--accel")
        {
            Description = "where the vCPUs run: auto (kvm when /dev/kvm works, else emulated), kvm, or emulated (an emulated AMD-V host under QEMU's TCG: no KVM needed, much slower)",
            DefaultValueFactory = _ => "auto",
        };
        // Inside an emulated host: the control protocol on this file descriptor instead of a terminal (hidden).
        var controlFd = new Option<int?>("--control-fd") { Hidden = true };
        // Inside an emulated host, with --control-fd: where a save writes the memory, and a saved state to continue (hidden).
        var saveArea = new Option<string?>("--save-area") { Hidden = true };
        var restoreState = new Option<string?>("--restore-state") { Hidden = true };
        var restoreMemory = new Option<string?>("--restore-memory") { Hidden = true };
        var nics = new Option<string[]>("--nic")
        {
            Description = "network adapter on a virtual switch: SWITCH[,mac=MAC][,spoofing=on|off][,name=NAME], or bridge=BRIDGE[,...] for an existing Linux bridge (repeatable; needs CAP_NET_ADMIN)",
            AllowMultipleArgumentsPerToken = false,
        };
        var onReboot = new Option<string>("--on-reboot")
        {
            Description = $"what a reboot of the guest does: exit (exit code 3) or restart (the VM boots again; {RebootLoop.Limit} reboots within {RebootLoop.Window.TotalSeconds:0} s end it with exit code 3)",
            DefaultValueFactory = _ => "exit",
        };
        var command = new Command("run", "Run one VM in the foreground; exit code 0 on guest poweroff, 3 reboot, 4 triple fault, 5 crash")
        {
            kernel, initrd, append, memory, cpus, disks, nested, accel, nics, onReboot, controlFd, saveArea, restoreState, restoreMemory,
        };

        command.SetAction(parse =>
        {
            VmConfig config = BuildConfig(
                parse.GetValue(kernel), parse.GetValue(initrd), parse.GetValue(append),
                parse.GetValue(memory)!, parse.GetValue(cpus), parse.GetValue(disks) ?? []) with
            {
                ExposeVirtualizationExtensions = parse.GetValue(nested),
            };
            IReadOnlyList<AdapterPlan> adapters = [.. (parse.GetValue(nics) ?? []).Select((text, index) => AdapterPlan.From(NicSpec.Parse(text), index))];
            if (parse.GetValue(controlFd) is null)
            {
                foreach (DiskConfig disk in config.Disks)
                {
                    VmCli.Warn(stderr, Vmm.Disks.DiskImage.UnreachableTail(disk.Path, disk.Format));
                }
            }

            bool restartOnReboot = parse.GetValue(onReboot)!.ToLowerInvariant() switch
            {
                "exit" => false,
                "restart" => true,
                string other => throw new UsageException($"--on-reboot '{other}' is not exit or restart"),
            };
            AcceleratorChoice choice = AcceleratorSelector.Choose(
                AcceleratorParser.Parse(parse.GetValue(accel)!), linuxGuest: config.KernelPath is not null,
                nested: config.ExposeVirtualizationExtensions);
            if (parse.GetValue(controlFd) is int fd)
            {
                (string, string)? restore = parse.GetValue(restoreState) is { } state && parse.GetValue(restoreMemory) is { } saved ? (state, saved) : null;
                return RunOnControlPort(config, adapters, fd, restore, parse.GetValue(saveArea));
            }

            if (choice.Accelerator == Accelerator.Emulated)
            {
                // Every input is checked here, on this host: a bad one must not cost the emulated host's boot.
                VirtualMachine.Check(config);
                try
                {
                    HostTools.EnsurePresent();
                }
                catch (EmulationException e) when (choice.Reason is not null)
                {
                    // Auto fell back to the emulated host, which cannot start either: both reasons, in one line.
                    throw new EmulationException($"{choice.Reason}; and the emulated host cannot start: {e.UserMessage()}");
                }

                if (choice.Announcement is { } announcement)
                {
                    stderr.WriteLine($"hnest: {announcement}");
                }

                return EmulatedRun.Run(config, adapters, stderr, restartOnReboot);
            }

            if (config.ExposeVirtualizationExtensions)
            {
                NestedCommand.EnsureHostSupportsNested();
            }

            using Stream output = StandardStream.Open(StandardStream.Output);
            using ForegroundVm vm = ForegroundVm.Create(config, output, adapters, restartOnReboot);
            if (config.KernelPath is not null && KvmModule.Detect() == KvmModuleKind.Pvm)
            {
                stderr.WriteLine("hnest: warning: this host's KVM is the PVM flavour (kvm_pvm): guest kernel mode is emulated and will be very slow");
            }

            using RawTerminal terminal = RawTerminal.Enter();
            using ConsoleInputPump input = ConsoleInputPump.Start(() => vm.Console, () => vm.TurnOff("stopped from the console (Ctrl-])"));
            using PosixSignalRegistration sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, e =>
            {
                e.Cancel = true;
                vm.Shutdown(GracefulShutdownTimeout);
            });
            using PosixSignalRegistration sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, e =>
            {
                e.Cancel = true;
                vm.TurnOff("interrupted");
            });
            VmStopReason reason = vm.Run();
            terminal.Dispose();
            if (vm.StopDetail is { } detail && reason != VmStopReason.Stopped)
            {
                stderr.WriteLine($"hnest: {detail}");
            }
            else if (reason == VmStopReason.Reboot && vm.StopRequest is { } loop)
            {
                stderr.WriteLine($"hnest: {loop}");
            }

            return ExitCodeOf(reason);
        });
        return command;
    }

    /// <summary>hnest run's exit code for how the VM ended.</summary>
    public static int ExitCodeOf(VmStopReason reason) => reason switch
    {
        VmStopReason.PowerOff => ExitCodes.Success,
        VmStopReason.Reboot => ExitCodes.GuestReboot,
        VmStopReason.TripleFault => ExitCodes.GuestTripleFault,
        VmStopReason.Crash => ExitCodes.GuestCrash,
        _ => ExitCodes.Interrupted,
    };

    /// <summary>
    /// The worker inside an emulated host: the console on stdout, requests and events on <paramref name="fd"/>
    /// (the control port the init script opened), the same exit codes as a foreground run.
    /// </summary>
    private static int RunOnControlPort(VmConfig config, IReadOnlyList<AdapterPlan> adapters, int fd, (string, string)? restore, string? saveArea)
    {
        using var port = new FileStream(new SafeFileHandle(fd, ownsHandle: false), FileAccess.ReadWrite, bufferSize: 0);
        using Stream output = StandardStream.Open(StandardStream.Output);
        VmStopReason? reason = VmWorker.RunOnPort(config, adapters, output, port, out string endReason, restore, saveArea);
        if (reason is null)
        {
            Console.Error.WriteLine($"hnest: {endReason}");
            return ExitCodes.BadInput;
        }

        return ExitCodeOf(reason.Value);
    }

    internal static VmConfig BuildConfig(
        string? kernel, string? initrd, string? append, string memory, int cpus, string[] disks)
    {
        if (!ByteSize.TryParse(memory, out ulong bytes))
        {
            throw new UsageException($"--memory '{memory}' is not a size (expected e.g. 512M or 2G)");
        }

        const ulong minimum = 2UL << 20;
        if (bytes < minimum)
        {
            throw new UsageException($"--memory {memory} is too small: at least 2M");
        }

        ulong host = HostMemory.TotalBytes;
        if (host > 0 && bytes > host)
        {
            throw new UsageException($"--memory {memory} is more than this host has ({ByteSize.Format(host)})");
        }

        if (cpus < 1)
        {
            throw new UsageException($"--cpus {cpus} is out of range: at least 1");
        }

        if (kernel is "" || initrd is "")
        {
            throw new UsageException($"{(kernel is "" ? "--kernel" : "--initrd")} needs a file path");
        }

        if (append?.Contains('\n', StringComparison.Ordinal) == true)
        {
            throw new UsageException("--append contains a line break: the kernel command line is one line");
        }

        if (initrd is not null && kernel is null)
        {
            throw new UsageException("--initrd needs --kernel (the built-in guest takes no initrd)");
        }

        List<DiskConfig> parsedDisks = [];
        foreach (string disk in disks)
        {
            parsedDisks.Add(DiskConfig.Parse(disk));
        }

        return new VmConfig
        {
            KernelPath = kernel,
            InitrdPath = initrd,
            KernelArguments = append,
            MemoryBytes = (bytes + 0xFFFFF) & ~0xFFFFFUL,
            VcpuCount = cpus,
            Disks = parsedDisks,
        };
    }
}
