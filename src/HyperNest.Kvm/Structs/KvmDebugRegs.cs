using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace HyperNest.Kvm;

/// <summary>struct kvm_debugregs (api.rst §4.33): DR0–DR3, DR6, DR7; flags must be 0 on set.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct KvmDebugRegs
{
    public Addresses Db;
    public ulong Dr6;
    public ulong Dr7;
    public ulong Flags;
    private readonly Reserved9 _reserved;

    [InlineArray(4)]
    public struct Addresses
    {
        private ulong _element;
    }

    [InlineArray(9)]
    private struct Reserved9
    {
        private ulong _element;
    }
}
