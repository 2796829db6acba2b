using System.Runtime.InteropServices;

namespace HyperNest.Kvm;

/// <summary>struct kvm_irq_level (api.rst §4.25).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct KvmIrqLevel
{
    public uint Irq;
    public uint Level;
}
