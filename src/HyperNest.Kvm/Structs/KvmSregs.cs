using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace HyperNest.Kvm;

/// <summary>struct kvm_sregs (api.rst §4.13): segment, control and descriptor-table registers.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct KvmSregs
{
    public KvmSegment Cs, Ds, Es, Fs, Gs, Ss;
    public KvmSegment Tr, Ldt;
    public KvmDtable Gdt, Idt;
    public ulong Cr0, Cr2, Cr3, Cr4, Cr8;
    public ulong Efer;
    public ulong ApicBase;
    public InterruptBitmap PendingInterrupts;

    [InlineArray(4)]
    public struct InterruptBitmap
    {
        private ulong _element;
    }
}
