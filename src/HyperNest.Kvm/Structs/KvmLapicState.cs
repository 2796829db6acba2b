using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace HyperNest.Kvm;

/// <summary>struct kvm_lapic_state: the local APIC's 1 KiB register page.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct KvmLapicState
{
    public Registers Regs;

    [InlineArray(1024)]
    public struct Registers
    {
        private byte _element;
    }

    public uint GetRegister(int offset) => MemoryMarshal.Read<uint>(((ReadOnlySpan<byte>)Regs)[offset..]);

    public void SetRegister(int offset, uint value) => MemoryMarshal.Write(((Span<byte>)Regs)[offset..], value);
}
