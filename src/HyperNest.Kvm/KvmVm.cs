namespace HyperNest.Kvm;

/// <summary>A KVM virtual machine (api.rst §4, "vm ioctls").</summary>
public sealed unsafe partial class KvmVm : IDisposable
{
    private readonly FileDescriptorHandle _fd;
    private readonly int _vcpuMmapSize;
    private readonly KvmSystem _system;

    internal KvmVm(FileDescriptorHandle fd, int vcpuMmapSize, KvmSystem system)
    {
        _fd = fd;
        _vcpuMmapSize = vcpuMmapSize;
        _system = system;
    }

    public void SetUserMemoryRegion(uint slot, ulong guestPhysicalAddress, ulong size, ulong hostAddress, uint flags = 0)
    {
        var region = new KvmUserspaceMemoryRegion
        {
            Slot = slot,
            Flags = flags,
            GuestPhysicalAddress = guestPhysicalAddress,
            MemorySize = size,
            UserspaceAddress = hostAddress,
        };
        Call(KvmIoctl.SetUserMemoryRegion, &region, "KVM_SET_USER_MEMORY_REGION");
    }

    /// <summary>Intel needs a 3-page TSS region below 4 GiB that the guest never uses (api.rst §4.48).</summary>
    public void SetTssAddress(uint address) =>
        KvmSystem.Check(Interop.Ioctl(Fd, KvmIoctl.SetTssAddr, address), "KVM_SET_TSS_ADDR");

    public void SetIdentityMapAddress(ulong address) => Call(KvmIoctl.SetIdentityMapAddr, &address, "KVM_SET_IDENTITY_MAP_ADDR");

    /// <summary>In-kernel PIC, IOAPIC and per-vCPU LAPICs; must precede vCPU creation.</summary>
    public void CreateIrqchip() => KvmSystem.Check(Interop.Ioctl(Fd, KvmIoctl.CreateIrqchip, 0), "KVM_CREATE_IRQCHIP");

    public void CreatePit2()
    {
        var config = new KvmPitConfig { Flags = KvmPitConfig.SpeakerDummy };
        Call(KvmIoctl.CreatePit2, &config, "KVM_CREATE_PIT2");
    }

    /// <summary>Drives an interrupt line of the in-kernel irqchip (GSI 0–23 reach the IOAPIC, 0–15 also the PIC).</summary>
    public void SetIrqLine(uint gsi, bool level)
    {
        var irq = new KvmIrqLevel { Irq = gsi, Level = level ? 1u : 0u };
        Call(KvmIoctl.IrqLine, &irq, "KVM_IRQ_LINE");
    }

    /// <summary>Binds an eventfd to a GSI: each signal injects an edge on that line without a trip through us.</summary>
    public void RegisterIrqfd(EventFd eventFd, uint gsi)
    {
        var irqfd = new KvmIrqfd { Fd = (uint)eventFd.Handle.Fd, Gsi = gsi };
        Call(KvmIoctl.Irqfd, &irqfd, "KVM_IRQFD");
    }

    /// <summary>Binds an eventfd to a guest write of <paramref name="length"/> bytes at an MMIO or PIO address.</summary>
    public void RegisterIoeventfd(EventFd eventFd, ulong address, uint length, bool pio = false, ulong? datamatch = null)
    {
        var ioeventfd = new KvmIoeventfd
        {
            Address = address,
            Length = length,
            Fd = eventFd.Handle.Fd,
            Flags = (pio ? KvmIoeventfd.FlagPio : 0) | (datamatch.HasValue ? KvmIoeventfd.FlagDatamatch : 0),
            Datamatch = datamatch ?? 0,
        };
        Call(KvmIoctl.Ioeventfd, &ioeventfd, "KVM_IOEVENTFD");
    }

    public KvmIrqchip GetIrqchip(uint chipId)
    {
        var chip = new KvmIrqchip { ChipId = chipId };
        Call(KvmIoctl.GetIrqchip, &chip, "KVM_GET_IRQCHIP");
        return chip;
    }

    public void SetIrqchip(KvmIrqchip chip) => Call(KvmIoctl.SetIrqchip, &chip, "KVM_SET_IRQCHIP");

    public KvmPitState2 GetPit2()
    {
        KvmPitState2 state = default;
        Call(KvmIoctl.GetPit2, &state, "KVM_GET_PIT2");
        return state;
    }

    public void SetPit2(KvmPitState2 state) => Call(KvmIoctl.SetPit2, &state, "KVM_SET_PIT2");

    public KvmClockData GetClock()
    {
        KvmClockData clock = default;
        Call(KvmIoctl.GetClock, &clock, "KVM_GET_CLOCK");
        return clock;
    }

    public void SetClock(KvmClockData clock) => Call(KvmIoctl.SetClock, &clock, "KVM_SET_CLOCK");

    public KvmVcpu CreateVcpu(uint id)
    {
        int fd = KvmSystem.Check(Interop.Ioctl(Fd, KvmIoctl.CreateVcpu, id), "KVM_CREATE_VCPU");
        return new KvmVcpu(new FileDescriptorHandle(fd), id, _vcpuMmapSize, this);
    }

    public void Dispose() => _fd.Dispose();

    private int Fd
    {
        get
        {
            ObjectDisposedException.ThrowIf(_fd.IsClosed, this);
            return _fd.Fd;
        }
    }

    private void Call(nuint request, void* argument, string name) => KvmSystem.Check(Interop.Ioctl(Fd, request, argument), name);
}
