using HyperNest.Kvm;

namespace HyperNest.Vmm.Cpu;

/// <summary>The general-purpose registers, RIP and RFLAGS (struct kvm_regs, api.rst §4.11).</summary>
public sealed record GeneralRegisters
{
    public ulong Rax { get; init; }
    public ulong Rbx { get; init; }
    public ulong Rcx { get; init; }
    public ulong Rdx { get; init; }
    public ulong Rsi { get; init; }
    public ulong Rdi { get; init; }
    public ulong Rsp { get; init; }
    public ulong Rbp { get; init; }
    public ulong R8 { get; init; }
    public ulong R9 { get; init; }
    public ulong R10 { get; init; }
    public ulong R11 { get; init; }
    public ulong R12 { get; init; }
    public ulong R13 { get; init; }
    public ulong R14 { get; init; }
    public ulong R15 { get; init; }
    public ulong Rip { get; init; }
    public ulong Rflags { get; init; }

    public static GeneralRegisters From(in KvmRegs r) => new()
    {
        Rax = r.Rax, Rbx = r.Rbx, Rcx = r.Rcx, Rdx = r.Rdx, Rsi = r.Rsi, Rdi = r.Rdi, Rsp = r.Rsp, Rbp = r.Rbp,
        R8 = r.R8, R9 = r.R9, R10 = r.R10, R11 = r.R11, R12 = r.R12, R13 = r.R13, R14 = r.R14, R15 = r.R15,
        Rip = r.Rip, Rflags = r.Rflags,
    };

    public KvmRegs ToKvm() => new()
    {
        Rax = Rax, Rbx = Rbx, Rcx = Rcx, Rdx = Rdx, Rsi = Rsi, Rdi = Rdi, Rsp = Rsp, Rbp = Rbp,
        R8 = R8, R9 = R9, R10 = R10, R11 = R11, R12 = R12, R13 = R13, R14 = R14, R15 = R15,
        Rip = Rip, Rflags = Rflags,
    };
}
