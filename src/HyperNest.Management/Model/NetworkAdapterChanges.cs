namespace HyperNest.Management.Model;

/// <summary>Set-VMNetworkAdapter's parameters; null or false means "leave as is".</summary>
public sealed record NetworkAdapterChanges
{
    public string? StaticMacAddress { get; init; }

    /// <summary>Go back to an address from the host's dynamic pool.</summary>
    public bool DynamicMacAddress { get; init; }

    public bool? MacAddressSpoofing { get; init; }

    /// <summary>Connect to this switch; see <see cref="Disconnect"/>.</summary>
    public string? SwitchName { get; init; }

    public bool Disconnect { get; init; }
}
