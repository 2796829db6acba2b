namespace HyperNest.Management.Accelerators;

/// <summary>The accelerator a VM will run on and, for <see cref="Accelerator.Auto"/>, why.</summary>
/// <param name="Accelerator">Kvm or Emulated, never Auto.</param>
/// <param name="Reason">Why auto chose it (one clause), or null when the accelerator was asked for by name.</param>
public sealed record AcceleratorChoice(Accelerator Accelerator, string? Reason)
{
    /// <summary>What the emulated host costs, for the line that announces it.</summary>
    public const string EmulatedCost =
        "the VM runs on an emulated host (QEMU TCG with AMD-V, no hardware acceleration): expect a Linux boot about 10x slower than on KVM";

    /// <summary>The stderr line auto's choice of the emulated host is announced with; null for kvm.</summary>
    public string? Announcement => Accelerator == Accelerator.Emulated && Reason is not null
        ? $"accelerator emulated: {Reason}; {EmulatedCost}"
        : null;
}
