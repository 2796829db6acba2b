namespace HyperNest.Vmm.Devices.InKernel;

/// <summary>
/// The devices KVM emulates for a VM (KVM_CREATE_IRQCHIP, KVM_CREATE_PIT2) and its kvmclock, as
/// <see cref="InKernelDevices.Save"/> read them. Chip states are the 512-byte payloads of struct kvm_irqchip
/// (api.rst §4.26: kvm_pic_state, kvm_ioapic_state), the PIT the whole 112-byte struct kvm_pit_state2 with its flags
/// (HPET legacy mode, speaker); the local APICs belong to each <c>VcpuState</c>.
/// </summary>
public sealed record InKernelDevicesState
{
    public const int CurrentVersion = 1;

    /// <summary>The union in struct kvm_irqchip: 512 bytes.</summary>
    public const int IrqchipStateSize = 512;

    /// <summary>struct kvm_pit_state2: three channels, flags, reserved; 112 bytes.</summary>
    public const int PitStateSize = 112;

    public int Version { get; init; } = CurrentVersion;

    /// <summary>The master 8259 (chip 0, IRQ 0–7).</summary>
    public byte[] PicMaster { get; init; } = [];

    /// <summary>The slave 8259 (chip 1, IRQ 8–15).</summary>
    public byte[] PicSlave { get; init; } = [];

    /// <summary>The IOAPIC (chip 2): redirection table, IRR, base address.</summary>
    public byte[] Ioapic { get; init; } = [];

    /// <summary>The i8254 PIT (KVM_GET_PIT2), flags included.</summary>
    public byte[] Pit { get; init; } = [];

    /// <summary>kvmclock in nanoseconds when saved (KVM_GET_CLOCK, api.rst §4.29).</summary>
    public ulong KvmClock { get; init; }

    /// <summary>The KVM_CLOCK_* flags KVM_GET_CLOCK reported (TSC_STABLE 2, REALTIME 4, HOST_TSC 8); for the record.</summary>
    public uint KvmClockFlags { get; init; }
}
