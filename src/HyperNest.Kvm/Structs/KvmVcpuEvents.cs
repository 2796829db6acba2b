using System.Runtime.InteropServices;

namespace HyperNest.Kvm;

/// <summary>
/// struct kvm_vcpu_events (api.rst §4.31, x86): pending and injected exceptions, interrupts, NMIs and SMIs, and the
/// interrupt shadow. HyperNest reads only <see cref="Flags"/>; the rest is carried as the kernel lays it out.
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = 64)]
public struct KvmVcpuEvents
{
    /// <summary>KVM_VCPUEVENT_VALID_*: which parts KVM_SET_VCPU_EVENTS transfers (api.rst §4.32).</summary>
    public const uint ValidNmiPending = 1 << 0, ValidSipiVector = 1 << 1, ValidShadow = 1 << 2, ValidSmm = 1 << 3;

    [FieldOffset(12)]
    public byte NmiPending;

    [FieldOffset(16)]
    public uint SipiVector;

    [FieldOffset(20)]
    public uint Flags;

    [FieldOffset(24)]
    public byte Smm;
}
