using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace HyperNest.Kvm;

/// <summary>struct kvm_fpu (api.rst §4.22): x87 and SSE state.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct KvmFpu
{
    public Bytes128 Fpr;
    public ushort Fcw;
    public ushort Fsw;
    public byte Ftwx;
    private readonly byte _padding1;
    public ushort LastOpcode;
    public ulong LastIp;
    public ulong LastDp;
    public Bytes256 Xmm;
    public uint Mxcsr;
    private readonly uint _padding2;

    [InlineArray(128)]
    public struct Bytes128
    {
        private byte _element;
    }

    [InlineArray(256)]
    public struct Bytes256
    {
        private byte _element;
    }
}
