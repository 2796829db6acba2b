using HyperNest.Management.Worker;

namespace HyperNest.Management.Model;

/// <summary>
/// What Get-VMNetworkAdapter and <c>hnest vm adapter list</c> show: the adapter's settings and, while its VM runs,
/// its switch port as the worker sees it — Status, the IP addresses learned from the guest's DHCP and ARP traffic,
/// counters (dropped spoofed frames among them).
/// </summary>
public sealed record NetworkAdapterInfo
{
    public required string Name { get; init; }

    /// <summary>12 hex digits, Hyper-V's form.</summary>
    public required string MacAddress { get; init; }

    public bool DynamicMacAddressEnabled { get; init; }

    public bool MacAddressSpoofing { get; init; }

    public string? SwitchName { get; init; }

    /// <summary>Hyper-V's words: "Ok" while the VM runs, null while it is off (the adapter has no port then).</summary>
    public string? Status { get; init; }

    public IReadOnlyList<string> IPAddresses { get; init; } = [];

    /// <summary>The running VM's port; null while the VM is off or its worker cannot be asked.</summary>
    public NetworkAdapterStatus? Port { get; init; }

    public static NetworkAdapterInfo From(VmNetworkAdapter adapter, NetworkAdapterStatus? port) => new()
    {
        Name = adapter.Name,
        MacAddress = adapter.MacAddress,
        DynamicMacAddressEnabled = adapter.DynamicMacAddressEnabled,
        MacAddressSpoofing = adapter.MacAddressSpoofing,
        SwitchName = adapter.SwitchName,
        Status = port is null ? null : "Ok",
        IPAddresses = port?.IPAddresses ?? [],
        Port = port,
    };
}
