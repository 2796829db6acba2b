using HyperNest.Management.Nested;

namespace HyperNest.Cli.Json;

/// <summary>
/// <c>hnest nested status --json</c>: the host's verdict (supported, reasons, facts) and one verdict per VM.
/// </summary>
public sealed record NestedStatusDocument(NestedHostVerdict Host, IReadOnlyList<NestedVmVerdict> Vms);
