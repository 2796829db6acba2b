namespace HyperNest.Management.Nested;

/// <summary>Enable-NestedVm's optional steps (the script asks; switches preset the answers).</summary>
public sealed record NestedEnableOptions
{
    /// <summary>Turn MAC address spoofing on for every adapter, so nested guests get network addresses.</summary>
    public bool EnableMacSpoofing { get; init; }

    /// <summary>Raise startup memory to the guide's 4 GB when it is lower.</summary>
    public bool RaiseMemoryToRecommended { get; init; }

    /// <summary>How long a graceful shutdown of a running VM may take.</summary>
    public int ShutdownTimeoutSeconds { get; init; } = 30;
}
