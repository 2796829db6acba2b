using System.Runtime.InteropServices;

namespace HyperNest.Kvm;

/// <summary>struct kvm_xcr: one extended control register (0 = XCR0).</summary>
[StructLayout(LayoutKind.Sequential)]
public struct KvmXcr
{
    public uint Xcr;
    private readonly uint _reserved;
    public ulong Value;

    public KvmXcr(uint xcr, ulong value)
    {
        Xcr = xcr;
        _reserved = 0;
        Value = value;
    }
}
