using HyperNest.Management.Nested;

namespace HyperNest.PowerShell.Objects;

/// <summary>
/// Get-NestedVirtStatus's answer: the host's verdict (<c>.Host.Supported</c>, <c>.Host.Reasons</c>,
/// <c>.Host.Facts</c>), the emulated host's verdict beside it (<c>.Emulated.Supported</c>, <c>.Emulated.Reasons</c>,
/// <c>.Emulated.Facts</c>), what <c>--accel auto</c> picks (<c>.AutoAccelerator</c>: "kvm", "emulated" or "none") and
/// one verdict per VM (<c>.VMs</c>, each with <c>.Ready</c> and <c>.Reasons</c>).
/// </summary>
public sealed class NestedVirtStatus(NestedHostStatus status, IReadOnlyList<NestedVmVerdict> vms)
{
    public NestedHostVerdict Host { get; } = status.Host;

    public EmulatedHostVerdict Emulated { get; } = status.Emulated;

    /// <summary>"kvm", "emulated" or "none", as <c>hnest --accel</c> names it.</summary>
    public string AutoAccelerator { get; } = status.AutoAccelerator.OptionValue();

    public IReadOnlyList<NestedVmVerdict> VMs { get; } = vms;
}
