namespace HyperNest.Management.Model;

/// <summary>A virtual NIC. <see cref="MacAddress"/> is 12 hex digits, Hyper-V's form (00155D0A1B2C).</summary>
public sealed record VmNetworkAdapter
{
    public required string Name { get; init; }

    public required string MacAddress { get; init; }

    /// <summary>True when HyperNest chose the address (from its pool), false for a static one.</summary>
    public bool DynamicMacAddressEnabled { get; init; } = true;

    /// <summary>Whether the guest may send frames from other source MACs (needed by nested guests).</summary>
    public bool MacAddressSpoofing { get; init; }

    /// <summary>The virtual switch the adapter is connected to; null when disconnected.</summary>
    public string? SwitchName { get; init; }
}
