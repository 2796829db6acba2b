namespace HyperNest.Management.Model;

/// <summary>The VM after a state change, and a warning when nothing was done (already in the specified state).</summary>
public sealed record VmActionResult(VmInfo Vm, string? Warning = null);
