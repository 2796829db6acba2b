using HyperNest.Kvm;

namespace HyperNest.Vmm.Cpu;

/// <summary>GDTR or IDTR (struct kvm_dtable): base and limit.</summary>
public sealed record DescriptorTable(ulong Base, ushort Limit)
{
    public static DescriptorTable From(in KvmDtable t) => new(t.Base, t.Limit);

    public KvmDtable ToKvm() => new() { Base = Base, Limit = Limit };
}
