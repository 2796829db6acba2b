using HyperNest.Management.Nested;

namespace HyperNest.Cli.Json;

/// <summary>
/// <c>hnest nested status --json</c>: the host's verdict (supported, reasons, facts) and one verdict per VM. The VM
/// list stays empty until the VM inventory exists; its element type will become the per-VM verdict.
/// </summary>
public sealed record NestedStatusDocument(NestedHostVerdict Host, IReadOnlyList<string> Vms);
