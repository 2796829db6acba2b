using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace HyperNest.Kvm;

/// <summary>struct kvm_irqchip: the state of one in-kernel PIC or the IOAPIC (opaque to HyperNest).</summary>
[StructLayout(LayoutKind.Sequential)]
public struct KvmIrqchip
{
    public const uint PicMaster = 0, PicSlave = 1, Ioapic = 2;

    public uint ChipId;
    private readonly uint _padding;
    public ChipState State;

    [InlineArray(512)]
    public struct ChipState
    {
        private byte _element;
    }
}
