using System.Runtime.InteropServices;

namespace HyperNest.Kvm;

/// <summary>struct kvm_irqfd (api.rst §4.75).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct KvmIrqfd
{
    public const uint FlagDeassign = 1;

    public uint Fd;
    public uint Gsi;
    public uint Flags;
    public uint ResampleFd;
    private readonly ulong _padding0, _padding1;
}
