using HyperNest.Management.Nested;

namespace HyperNest.Cli.Json;

/// <summary>
/// <c>hnest nested status --json</c>: the host's verdict (supported, reasons, facts), the emulated host's verdict
/// (same shape), what <c>--accel auto</c> picks ("kvm", "emulated" or "none") and one verdict per VM.
/// </summary>
public sealed record NestedStatusDocument(
    NestedHostVerdict Host,
    EmulatedHostVerdict Emulated,
    string AutoAccelerator,
    IReadOnlyList<NestedVmVerdict> Vms)
{
    public static NestedStatusDocument For(NestedHostStatus status, IReadOnlyList<NestedVmVerdict> vms) =>
        new(status.Host, status.Emulated, status.AutoAccelerator.OptionValue(), vms);
}
