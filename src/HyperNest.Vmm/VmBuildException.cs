namespace HyperNest.Vmm;

/// <summary>The VM cannot be built from its configuration (bad input, or the host cannot provide it).</summary>
public sealed class VmBuildException(string message) : Exception(message);
