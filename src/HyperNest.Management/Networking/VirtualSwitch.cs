namespace HyperNest.Management.Networking;

/// <summary>
/// A virtual switch as the store keeps it (<c>switches/&lt;id&gt;.json</c>): Hyper-V's settings, and the Linux bridge
/// that is the switch on this host. Changed by copy (<c>with</c>), saved whole.
/// </summary>
public sealed record VirtualSwitch
{
    /// <summary>The newest switch record layout this HyperNest writes and reads.</summary>
    public const int CurrentSchemaVersion = 1;

    public int SchemaVersion { get; init; } = CurrentSchemaVersion;

    public required Guid Id { get; init; }

    public required string Name { get; init; }

    public required VirtualSwitchType SwitchType { get; init; }

    /// <summary>The host NIC that is a port of the bridge (External only).</summary>
    public string? NetAdapterName { get; init; }

    /// <summary>
    /// Whether the host itself uses the switch, as Hyper-V reports it: always for Internal, never for Private, and
    /// for External whether the NIC's addresses moved to the bridge (the default) or were taken from the host.
    /// </summary>
    public bool AllowManagementOS { get; init; }

    public string? Notes { get; init; }

    /// <summary>The Linux bridge: <c>hnbr-</c> and 8 hex digits of the id (interface names have at most 15 characters).</summary>
    public required string BridgeName { get; init; }

    public DateTimeOffset CreationTime { get; init; }

    /// <summary>
    /// External only: the NIC's addresses and routes when the switch took it, given back when the switch lets it go
    /// and the bridge holds none of them (AllowManagementOS off, or a bridge lost to a reboot).
    /// </summary>
    public IpConfiguration? NetAdapterIpConfiguration { get; init; }

    /// <summary>
    /// Hyper-V's name for the host's interface on the switch, "vEthernet (Name)": here the bridge itself, which
    /// carries it as its alias (<c>ip link</c> shows it).
    /// </summary>
    public static string ManagementOSAdapterName(string switchName) => $"vEthernet ({switchName})";
}
