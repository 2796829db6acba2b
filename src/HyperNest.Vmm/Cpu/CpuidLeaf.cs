using HyperNest.Kvm;

namespace HyperNest.Vmm.Cpu;

/// <summary>One entry of a vCPU's CPUID table (struct kvm_cpuid_entry2, api.rst §4.46).</summary>
public sealed record CpuidLeaf(uint Function, uint Index, uint Flags, uint Eax, uint Ebx, uint Ecx, uint Edx)
{
    public static CpuidLeaf From(KvmCpuidEntry2 e) => new(e.Function, e.Index, e.Flags, e.Eax, e.Ebx, e.Ecx, e.Edx);

    public KvmCpuidEntry2 ToKvm() => new(Function, Index, Flags, Eax, Ebx, Ecx, Edx);
}
