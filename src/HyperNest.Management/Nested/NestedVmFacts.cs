namespace HyperNest.Management.Nested;

/// <summary>The facts behind a VM's nested verdict.</summary>
public sealed record NestedVmFacts(
    bool ExtensionsExposed,
    bool DynamicMemoryEnabled,
    ulong StartupBytes,
    int ProcessorCount,
    IReadOnlyList<string> AdaptersWithoutMacSpoofing,
    int CheckpointCount,
    bool HasSavedState);
