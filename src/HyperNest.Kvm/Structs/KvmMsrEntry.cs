using System.Runtime.InteropServices;

namespace HyperNest.Kvm;

/// <summary>struct kvm_msr_entry: one model-specific register.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct KvmMsrEntry
{
    public uint Index;
    private readonly uint _reserved;
    public ulong Data;

    public KvmMsrEntry(uint index, ulong data)
    {
        Index = index;
        _reserved = 0;
        Data = data;
    }
}
