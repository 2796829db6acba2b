using HyperNest.Kvm;
using HyperNest.Vmm.Boot.Acpi;
using HyperNest.Vmm.Cpu;
using HyperNest.Vmm.Devices;
using HyperNest.Vmm.Devices.Legacy;
using HyperNest.Vmm.Devices.Virtio;
using HyperNest.Vmm.Memory;

namespace HyperNest.Vmm;

/// <summary>
/// One running VM: KVM VM, guest memory, devices on the PIO and MMIO buses, and a thread per vCPU. Build it with
/// <see cref="Create"/>, then <see cref="Run"/> blocks until the guest powers off, reboots or fails.
/// </summary>
public sealed partial class VirtualMachine : IVcpuExitSink, IDisposable
{
    private readonly KvmSystem _kvm;
    private readonly KvmVm _vm;
    private readonly List<IDisposable> _owned = [];
    private readonly List<Vcpu> _vcpus = [];
    private readonly ManualResetEventSlim _stopped = new();
    private readonly object _stopLock = new();
    private readonly List<Net> _networkAdapters = [];

    /// <summary>The virtio devices in <see cref="Layout"/> order, each with its transport.</summary>
    private readonly List<(VirtioSlot Slot, MmioTransport Transport, IVirtioDevice Device)> _virtio = [];
    private I8042? _keyboard;
    private AcpiPm? _acpiPm;
    private IrqfdLine? _powerButton;
    private VmStopReason? _stopReason;
    private string? _stopDetail;
    private bool _disposed;

    private VirtualMachine(VmConfig config, KvmSystem kvm, KvmVm vm, GuestMemory memory, Stream console)
    {
        Config = config;
        Layout = DeviceLayout.For(config);
        _kvm = kvm;
        _vm = vm;
        Memory = memory;
        ConsoleOutput = console;
        Console = new Uart8250(new KvmIrqLine(vm, Uart8250.Com1Gsi), console);
    }

    /// <summary>What the VM is made of; its disks change with <see cref="ReplaceDisk"/>.</summary>
    public VmConfig Config { get; private set; }

    /// <summary>Where its devices sit (<see cref="DeviceLayout"/>): what a saved state records and a restore checks.</summary>
    public DeviceLayout Layout { get; }

    public GuestMemory Memory { get; }

    public Bus Pio { get; } = new();

    public Bus Mmio { get; } = new();

    public Uart8250 Console { get; }

    /// <summary>Where the guest's serial output goes: a VM built again after a reset writes on to the same stream.</summary>
    public Stream ConsoleOutput { get; }

    public IReadOnlyList<Vcpu> Vcpus => _vcpus;

    /// <summary>The virtio-net devices, in <see cref="VmConfig.NetworkAdapters"/> order.</summary>
    public IReadOnlyList<Net> NetworkAdapters => _networkAdapters;

    /// <summary>The memory balloon, unless <see cref="VmConfig.AttachBalloon"/> is off.</summary>
    public Balloon? Balloon { get; private set; }

    /// <summary>The virtio-mem device of <see cref="VmConfig.HotplugMemoryBytes"/>, or null without one.</summary>
    public Mem? HotplugMemory { get; private set; }

    public string? StopDetail => _stopDetail;

    /// <summary>
    /// Checks everything about <paramref name="config"/> that needs no KVM, with the messages <see cref="Create"/>
    /// gives: the kernel is a bzImage that fits, the initrd fits beside it, the command line is within the kernel's
    /// limit, each disk opens as asked (exists, permissions, not in use), each network adapter has a name and a
    /// unicast MAC address (its backend is not needed), the devices fit the interrupt lines, the vCPU count is within
    /// ACPI's. Used on a host without KVM before an emulated host is booted, so a bad input costs no boot.
    /// </summary>
    public static void Check(VmConfig config)
    {
        using BootInputs boot = BootInputs.Read(config);
        EnsureDisksExist(config);
        EnsureAdaptersValid(config);
        EnsureHotplugMemoryValid(config);
        foreach (DiskConfig disk in config.Disks)
        {
            using var probe = new Block(disk);
        }

        ValidateVcpus(config.VcpuCount, AcpiTables.MaxVcpuCount, "HyperNest allows");
    }

    /// <summary>Builds the VM: validates the configuration against the host, loads the kernel, wires devices.</summary>
    public static VirtualMachine Create(VmConfig config, Stream consoleOutput)
    {
        using BootInputs boot = BootInputs.Read(config);
        EnsureDevicesValid(config);
        return Assemble(config, consoleOutput,
            () => new GuestMemory(config.MemoryBytes, config.HotplugMemoryBytes),
            machine => machine.Build(boot.Kernel, boot.Initrd));
    }

    /// <summary>
    /// Opens KVM, checks the vCPU count against it, creates the KVM VM and its memory, then lets
    /// <paramref name="build"/> put the machine together (a boot or a restore). Everything is released on failure.
    /// </summary>
    private static VirtualMachine Assemble(VmConfig config, Stream consoleOutput, Func<GuestMemory> createMemory, Action<VirtualMachine> build)
    {
        KvmSystem kvm = KvmSystem.Open();
        VirtualMachine? machine = null;
        try
        {
            ValidateVcpus(config.VcpuCount, Math.Min(kvm.MaxVcpus, AcpiTables.MaxVcpuCount), "this host's KVM allows");
            KvmVm vm = kvm.CreateVm();
            GuestMemory memory;
            try
            {
                memory = createMemory();
            }
            catch (KvmException e)
            {
                vm.Dispose();
                throw new VmBuildException($"cannot reserve {(config.MemoryBytes + config.HotplugMemoryBytes) >> 20} MiB of guest memory: {e.UserMessage()}");
            }

            machine = new VirtualMachine(config, kvm, vm, memory, consoleOutput);
            build(machine);
            return machine;
        }
        catch
        {
            if (machine is null)
            {
                kvm.Dispose();
            }
            else
            {
                machine.Dispose();
            }

            throw;
        }
    }

    /// <summary>Runs the guest until it stops; returns why.</summary>
    public VmStopReason Run()
    {
        foreach (Vcpu vcpu in _vcpus)
        {
            vcpu.Start();
        }

        _stopped.Wait();
        foreach (Vcpu vcpu in _vcpus)
        {
            vcpu.Stop();
        }

        return _stopReason ?? VmStopReason.Stopped;
    }

    /// <summary>
    /// Pauses the VM: its vCPUs (each finishes the instruction in flight, <see cref="Vcpu.Pause"/>), then its virtio
    /// devices (<see cref="MmioTransport.Pause"/>: a queue turn in progress ends, no new one starts). Guest memory
    /// and device state are then still.
    /// </summary>
    public void Pause()
    {
        foreach (Vcpu vcpu in _vcpus)
        {
            vcpu.Pause();
        }

        foreach ((_, MmioTransport transport, _) in _virtio)
        {
            transport.Pause();
        }
    }

    /// <summary>Resumes the devices (serving what the guest notified meanwhile), then the vCPUs.</summary>
    public void Resume()
    {
        foreach ((_, MmioTransport transport, _) in _virtio)
        {
            transport.Resume();
        }

        foreach (Vcpu vcpu in _vcpus)
        {
            vcpu.Resume();
        }
    }

    /// <summary>
    /// Presses the ACPI power button: the guest's OS decides what to do (systemd-logind or acpid power off). This is
    /// the graceful shutdown; the host waits for the guest to power off and falls back to <see cref="RequestStop"/>.
    /// </summary>
    public void PressPowerButton() => _powerButton?.Trigger();

    /// <summary>Ends the VM (a power cut); <see cref="Run"/> returns <paramref name="reason"/>.</summary>
    public void RequestStop(VmStopReason reason, string? detail = null)
    {
        lock (_stopLock)
        {
            if (_stopReason is not null)
            {
                return;
            }

            _stopReason = reason;
            _stopDetail = detail;
        }

        foreach (Vcpu vcpu in _vcpus)
        {
            vcpu.RequestStop();
        }

        _stopped.Set();
    }

    void IVcpuExitSink.OnStopRequested(uint vcpuId, VmStopReason reason, string? detail) => RequestStop(reason, detail);

    /// <summary>Ends the VM and releases everything it holds (disks, devices, memory, KVM); a second call does nothing.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        RequestStop(VmStopReason.Stopped);
        foreach (Vcpu vcpu in _vcpus)
        {
            vcpu.Dispose();
        }

        // Reverse order: queue threads stop before the devices and interrupt lines they use.
        for (int i = _owned.Count - 1; i >= 0; i--)
        {
            _owned[i].Dispose();
        }

        _vm.Dispose();
        Memory.Dispose();
        _kvm.Dispose();
        _stopped.Dispose();
    }

    /// <summary>
    /// The machine without its guest: KVM's interrupt controllers and PIT, memory slots, the legacy devices and the
    /// virtio devices where <see cref="Layout"/> puts them. Returns the devices' ACPI declarations (a boot writes them
    /// into the tables; a restore finds them in the saved memory).
    /// </summary>
    private List<AcpiDevice> BuildPlatform()
    {
        // Intel VMX needs these two regions even with unrestricted guests; AMD ignores them.
        _vm.SetTssAddress((uint)MemoryLayout.TssAddress);
        _vm.SetIdentityMapAddress(MemoryLayout.IdentityMapAddress);
        _vm.CreateIrqchip();
        _vm.CreatePit2();

        uint slot = 0;
        foreach (GuestMemoryRegion region in Memory.Regions)
        {
            _vm.SetUserMemoryRegion(slot++, region.GuestPhysicalAddress, region.Size, Memory.HostAddressOf(region));
        }

        if (Memory.Hotplug is { } hotplug)
        {
            // All of it, plugged or not: the guest's vCPUs see unplugged blocks as zeroes (virtio-mem, Mem).
            _vm.SetUserMemoryRegion(slot, hotplug.GuestPhysicalAddress, hotplug.Size, hotplug.HostAddress);
        }

        Pio.Register(Uart8250.Com1Port, Uart8250.PortCount, Console);
        _acpiPm = new AcpiPm(() => RequestStop(VmStopReason.PowerOff));
        _keyboard = new I8042(() => RequestStop(VmStopReason.Reboot));
        Pio.Register(AcpiTables.PmPortBase, AcpiTables.PmPortLength, _acpiPm);
        Pio.Register(I8042.PortBase, I8042.PortLength, _keyboard);

        var devices = new List<AcpiDevice>
        {
            AcpiDevice.Serial("COM1", 1, Uart8250.Com1Port, (byte)Uart8250.Com1Gsi),
            AcpiDevice.Ps2Keyboard("PS2K"),
            AcpiDevice.PowerButton("PWRB"),
            AcpiDevice.GenericEventDevice("GED0", DeviceLayout.GedGsi, "PWRB"),
        };
        _powerButton = Own(new IrqfdLine(_vm, DeviceLayout.GedGsi));
        foreach ((DiskConfig disk, int number) in Config.Disks.Select((d, n) => (d, n)))
        {
            devices.Add(AddVirtioDevice(Own(new Block(disk)), Layout.Slot("blk", number), out _));
        }

        foreach ((NetworkAdapterConfig adapter, int number) in Config.NetworkAdapters.Select((a, n) => (a, n)))
        {
            var net = new Net(adapter.MacAddress.Span, adapter.Backend!, adapter.Port, adapter.LinkUp);
            VirtioSlot place = Layout.Slot("net", number);
            devices.Add(AddVirtioDevice(net, place, out MmioTransport transport));

            // Owned after its transport's interrupt line, so disposed (its thread stopped) before it.
            Own(net).Start(transport.NotifyQueue, $"virtio-net{place.Index}-rx", transport.NotifyConfigChanged);
            _networkAdapters.Add(net);
        }

        if (Config.AttachRng)
        {
            devices.Add(AddVirtioDevice(new Rng(), Layout.Slot("rng"), out _));
        }

        if (Config.AttachBalloon)
        {
            var balloon = new Balloon(Memory, Config.BalloonDeflateOnOom);
            devices.Add(AddVirtioDevice(balloon, Layout.Slot("balloon"), out MmioTransport transport));
            balloon.Attach(transport.NotifyQueue, transport.NotifyConfigChanged);
            Balloon = balloon;
        }

        if (Memory.Hotplug is { } hotplugRegion)
        {
            var mem = new Mem(hotplugRegion, Config.HotplugMemoryRequestedBytes);
            devices.Add(AddVirtioDevice(mem, Layout.Slot("mem"), out MmioTransport memTransport));
            mem.Connect(memTransport.ChangeConfig);
            HotplugMemory = mem;
        }

        return devices;
    }

    /// <summary>
    /// Puts a virtio device on the MMIO bus with an irqfd interrupt and ioeventfd queue notifications; returns its
    /// ACPI declaration, which is how the guest finds it (there is no PCI).
    /// </summary>
    private AcpiDevice AddVirtioDevice(IVirtioDevice device, VirtioSlot slot, out MmioTransport transport)
    {
        IrqfdLine line = Own(new IrqfdLine(_vm, slot.Gsi));
        transport = new MmioTransport(device, Memory, line);
        Mmio.Register(slot.MmioAddress, MemoryLayout.VirtioMmioSize, transport);
        _virtio.Add((slot, transport, device));
        Own(new QueueNotifier(_vm, transport, slot.MmioAddress, $"virtio-{slot.Kind}{slot.Index}"));
        return AcpiDevice.VirtioMmio((uint)slot.Index, slot.MmioAddress, (uint)MemoryLayout.VirtioMmioSize, slot.Gsi);
    }

    private T Own<T>(T disposable)
        where T : IDisposable
    {
        _owned.Add(disposable);
        return disposable;
    }

    /// <summary>The disks, network adapters (connected to a backend) and hot-pluggable memory can be built.</summary>
    private static void EnsureDevicesValid(VmConfig config)
    {
        EnsureDisksExist(config);
        EnsureAdaptersValid(config);
        EnsureHotplugMemoryValid(config);
        if (config.NetworkAdapters.FirstOrDefault(adapter => adapter.Backend is null) is { } unconnected)
        {
            throw new VmBuildException($"network adapter '{unconnected.Name}' has no backend to carry its frames");
        }
    }

    private static void EnsureDisksExist(VmConfig config)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (DiskConfig disk in config.Disks)
        {
            if (Directory.Exists(disk.Path))
            {
                throw new VmBuildException($"disk '{disk.Path}' is a directory, not a disk image");
            }

            if (!File.Exists(disk.Path))
            {
                throw new VmBuildException($"disk '{disk.Path}' does not exist");
            }

            if (!seen.Add(Path.GetFullPath(disk.Path)))
            {
                throw new VmBuildException($"disk '{disk.Path}' is given twice: a VM attaches an image once");
            }
        }
    }

    private static void EnsureAdaptersValid(VmConfig config)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (NetworkAdapterConfig adapter in config.NetworkAdapters)
        {
            if (adapter.Problem() is { } problem)
            {
                throw new VmBuildException(problem);
            }

            if (!seen.Add(adapter.MacAddressText))
            {
                throw new VmBuildException($"network adapter '{adapter.Name}': MAC address {adapter.MacAddressText} is given to another adapter of this VM");
            }
        }

        _ = DeviceLayout.For(config); // too many devices
    }

    private static void EnsureHotplugMemoryValid(VmConfig config)
    {
        if (config.HotplugMemoryProblem() is { } problem)
        {
            throw new VmBuildException(problem);
        }
    }

    private static void ValidateVcpus(int count, int max, string who)
    {
        if (count < 1 || count > max)
        {
            throw new VmBuildException($"--cpus {count} is out of range: {who} 1 to {max}");
        }
    }
}
