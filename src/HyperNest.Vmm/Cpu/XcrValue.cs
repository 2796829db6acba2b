namespace HyperNest.Vmm.Cpu;

/// <summary>One extended control register (struct kvm_xcr): <see cref="Xcr"/> 0 is XCR0, the XSAVE feature mask.</summary>
public sealed record XcrValue(uint Xcr, ulong Value);
