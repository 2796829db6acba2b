using HyperNest.Kvm;

namespace HyperNest.Vmm.Cpu;

/// <summary>One model-specific register as KVM_GET_MSRS read it: its index (Intel SDM vol. 4) and 64-bit value.</summary>
public sealed record MsrValue(uint Index, ulong Data)
{
    public static MsrValue From(KvmMsrEntry entry) => new(entry.Index, entry.Data);

    public KvmMsrEntry ToKvm() => new(Index, Data);
}
