namespace HyperNest.Management.Networking;

/// <summary>What Get-VMSwitch shows: the stored switch, whether its bridge exists now, and what is connected to it.</summary>
public sealed record VirtualSwitchInfo
{
    public required VirtualSwitch Switch { get; init; }

    public string Name => Switch.Name;

    public Guid Id => Switch.Id;

    /// <summary>False after a host reboot until a VM start (or Set-VMSwitch) makes the bridge again.</summary>
    public required bool BridgeExists { get; init; }

    /// <summary>"vEthernet (Name)" when the host takes part (Internal, External with AllowManagementOS); else null.</summary>
    public string? ManagementOSAdapterName => Switch.AllowManagementOS ? VirtualSwitch.ManagementOSAdapterName(Switch.Name) : null;

    public IReadOnlyList<SwitchConnection> ConnectedAdapters { get; init; } = [];
}
