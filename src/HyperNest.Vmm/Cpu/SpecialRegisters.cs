using HyperNest.Kvm;

namespace HyperNest.Vmm.Cpu;

/// <summary>
/// Segment, descriptor-table and control registers, EFER and the APIC base (struct kvm_sregs, api.rst §4.13).
/// <see cref="InterruptBitmap"/> is the 256-bit pending-interrupt bitmap, 4 × 64 bits (meaningful only without
/// the in-kernel irqchip, which HyperNest always has).
/// </summary>
public sealed record SpecialRegisters
{
    public const int InterruptBitmapWords = 4;

    public required SegmentRegister Cs { get; init; }
    public required SegmentRegister Ds { get; init; }
    public required SegmentRegister Es { get; init; }
    public required SegmentRegister Fs { get; init; }
    public required SegmentRegister Gs { get; init; }
    public required SegmentRegister Ss { get; init; }
    public required SegmentRegister Tr { get; init; }
    public required SegmentRegister Ldt { get; init; }
    public required DescriptorTable Gdt { get; init; }
    public required DescriptorTable Idt { get; init; }
    public ulong Cr0 { get; init; }
    public ulong Cr2 { get; init; }
    public ulong Cr3 { get; init; }
    public ulong Cr4 { get; init; }
    public ulong Cr8 { get; init; }
    public ulong Efer { get; init; }
    public ulong ApicBase { get; init; }
    public ulong[] InterruptBitmap { get; init; } = new ulong[InterruptBitmapWords];

    public static SpecialRegisters From(in KvmSregs s) => new()
    {
        Cs = SegmentRegister.From(s.Cs), Ds = SegmentRegister.From(s.Ds), Es = SegmentRegister.From(s.Es),
        Fs = SegmentRegister.From(s.Fs), Gs = SegmentRegister.From(s.Gs), Ss = SegmentRegister.From(s.Ss),
        Tr = SegmentRegister.From(s.Tr), Ldt = SegmentRegister.From(s.Ldt),
        Gdt = DescriptorTable.From(s.Gdt), Idt = DescriptorTable.From(s.Idt),
        Cr0 = s.Cr0, Cr2 = s.Cr2, Cr3 = s.Cr3, Cr4 = s.Cr4, Cr8 = s.Cr8, Efer = s.Efer, ApicBase = s.ApicBase,
        InterruptBitmap = ((ReadOnlySpan<ulong>)s.PendingInterrupts).ToArray(),
    };

    /// <summary>The kernel struct; <see cref="InterruptBitmap"/> must hold <see cref="InterruptBitmapWords"/> words.</summary>
    public KvmSregs ToKvm()
    {
        var s = new KvmSregs
        {
            Cs = Cs.ToKvm(), Ds = Ds.ToKvm(), Es = Es.ToKvm(), Fs = Fs.ToKvm(), Gs = Gs.ToKvm(), Ss = Ss.ToKvm(),
            Tr = Tr.ToKvm(), Ldt = Ldt.ToKvm(), Gdt = Gdt.ToKvm(), Idt = Idt.ToKvm(),
            Cr0 = Cr0, Cr2 = Cr2, Cr3 = Cr3, Cr4 = Cr4, Cr8 = Cr8, Efer = Efer, ApicBase = ApicBase,
        };
        InterruptBitmap.CopyTo((Span<ulong>)s.PendingInterrupts);
        return s;
    }
}
