using HyperNest.Management.Nested;

namespace HyperNest.PowerShell.Objects;

/// <summary>
/// Get-NestedVirtStatus's answer: the host's verdict (<c>.Host.Supported</c>, <c>.Host.Reasons</c>,
/// <c>.Host.Facts</c>) and one verdict per VM (<c>.VMs</c>, each with <c>.Ready</c> and <c>.Reasons</c>).
/// </summary>
public sealed class NestedVirtStatus(NestedHostVerdict host, IReadOnlyList<NestedVmVerdict> vms)
{
    public NestedHostVerdict Host { get; } = host;

    public IReadOnlyList<NestedVmVerdict> VMs { get; } = vms;
}
