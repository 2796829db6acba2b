using HyperNest.Kvm;

namespace HyperNest.Vmm.Cpu;

/// <summary>The debug registers (struct kvm_debugregs, api.rst §4.33): breakpoint addresses DR0–DR3, DR6, DR7.</summary>
public sealed record DebugRegisters(ulong Dr0, ulong Dr1, ulong Dr2, ulong Dr3, ulong Dr6, ulong Dr7)
{
    public static DebugRegisters From(in KvmDebugRegs d) => new(d.Db[0], d.Db[1], d.Db[2], d.Db[3], d.Dr6, d.Dr7);

    public KvmDebugRegs ToKvm()
    {
        var d = new KvmDebugRegs { Dr6 = Dr6, Dr7 = Dr7 };
        d.Db[0] = Dr0;
        d.Db[1] = Dr1;
        d.Db[2] = Dr2;
        d.Db[3] = Dr3;
        return d;
    }
}
