using System.Runtime.InteropServices;

namespace HyperNest.Kvm;

/// <summary>struct kvm_dtable: GDTR or IDTR.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct KvmDtable
{
    public ulong Base;
    public ushort Limit;
    private readonly ushort _padding0, _padding1, _padding2;
}
