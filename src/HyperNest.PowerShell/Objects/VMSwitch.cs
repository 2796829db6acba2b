using HyperNest.Management.Networking;

namespace HyperNest.PowerShell.Objects;

/// <summary>
/// What Get-VMSwitch writes (Hyper-V's VMSwitch), with HyperNest's own: the Linux bridge that is the switch, and the
/// adapters connected to it ("VM/adapter"). NetAdapterInterfaceDescription is the host NIC's name.
/// </summary>
public sealed class VMSwitch
{
    public required string Name { get; init; }

    public required Guid Id { get; init; }

    public required VirtualSwitchType SwitchType { get; init; }

    public string? NetAdapterName { get; init; }

    public string? NetAdapterInterfaceDescription => NetAdapterName;

    public required bool AllowManagementOS { get; init; }

    public string? Notes { get; init; }

    public required string BridgeName { get; init; }

    /// <summary>False after a host reboot until a VM on the switch starts.</summary>
    public required bool BridgeExists { get; init; }

    /// <summary>"vEthernet (Name)" (the bridge) when the host takes part in the switch.</summary>
    public string? ManagementOSAdapterName { get; init; }

    public string[] ConnectedAdapters { get; init; } = [];

    public static VMSwitch From(VirtualSwitchInfo info) => new()
    {
        Name = info.Name,
        Id = info.Id,
        SwitchType = info.Switch.SwitchType,
        NetAdapterName = info.Switch.NetAdapterName,
        AllowManagementOS = info.Switch.AllowManagementOS,
        Notes = info.Switch.Notes,
        BridgeName = info.Switch.BridgeName,
        BridgeExists = info.BridgeExists,
        ManagementOSAdapterName = info.ManagementOSAdapterName,
        ConnectedAdapters = [.. info.ConnectedAdapters.Select(c => c.ToString())],
    };

    public override string ToString() => $"VMSwitch (Name = '{Name}')";
}
