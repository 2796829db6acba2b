using HyperNest.Kvm;

namespace HyperNest.Vmm.Cpu;

/// <summary>A segment register with its hidden descriptor cache (struct kvm_segment).</summary>
public sealed record SegmentRegister(
    ulong Base, uint Limit, ushort Selector, byte Type, byte Present, byte Dpl, byte Db, byte S, byte L, byte G, byte Avl, byte Unusable)
{
    public static SegmentRegister From(in KvmSegment s) =>
        new(s.Base, s.Limit, s.Selector, s.Type, s.Present, s.Dpl, s.Db, s.S, s.L, s.G, s.Avl, s.Unusable);

    public KvmSegment ToKvm() => new()
    {
        Base = Base, Limit = Limit, Selector = Selector, Type = Type, Present = Present, Dpl = Dpl, Db = Db, S = S, L = L,
        G = G, Avl = Avl, Unusable = Unusable,
    };
}
