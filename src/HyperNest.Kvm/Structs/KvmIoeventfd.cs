using System.Runtime.InteropServices;

namespace HyperNest.Kvm;

/// <summary>struct kvm_ioeventfd (api.rst §4.59).</summary>
[StructLayout(LayoutKind.Sequential, Size = 64)]
internal struct KvmIoeventfd
{
    public const uint FlagDatamatch = 1 << 0;
    public const uint FlagPio = 1 << 1;
    public const uint FlagDeassign = 1 << 2;

    public ulong Datamatch;
    public ulong Address;
    public uint Length;
    public int Fd;
    public uint Flags;
}
