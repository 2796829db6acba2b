using HyperNest.Management.Model;

namespace HyperNest.PowerShell.Objects;

/// <summary>What Get-VMNetworkAdapter writes (Hyper-V's VMNetworkAdapter); MacAddress in Hyper-V's form, 00155D0A1B2C.</summary>
public sealed class VMNetworkAdapter
{
    public required string Name { get; init; }

    public required string VMName { get; init; }

    public required Guid VMId { get; init; }

    public required string MacAddress { get; init; }

    public required bool DynamicMacAddressEnabled { get; init; }

    public required OnOffState MacAddressSpoofing { get; init; }

    public string? SwitchName { get; init; }

    /// <summary>"Ok" while the VM runs; empty while it is off.</summary>
    public string[] Status { get; init; } = [];

    /// <summary>Learned from the guest's DHCP and ARP traffic while the VM runs (HyperNest has no guest agent).</summary>
    public string[] IPAddresses { get; init; } = [];

    /// <summary>Frames the guest sent from another source MAC while MacAddressSpoofing was Off (running VMs).</summary>
    public long DroppedSpoofedFrames { get; init; }

    public bool Connected => SwitchName is not null;

    public bool IsManagementOs => false;

    public static VMNetworkAdapter From(VmInfo vm, NetworkAdapterInfo adapter) => new()
    {
        Name = adapter.Name,
        VMName = vm.Name,
        VMId = vm.Id,
        MacAddress = adapter.MacAddress,
        DynamicMacAddressEnabled = adapter.DynamicMacAddressEnabled,
        MacAddressSpoofing = adapter.MacAddressSpoofing ? OnOffState.On : OnOffState.Off,
        SwitchName = adapter.SwitchName,
        Status = adapter.Status is { } status ? [status] : [],
        IPAddresses = [.. adapter.IPAddresses],
        DroppedSpoofedFrames = adapter.Port?.DroppedSpoofedFrames ?? 0,
    };

    /// <summary>The VM's adapters as configured (Get-VM's NetworkAdapters: no worker is asked).</summary>
    public static VMNetworkAdapter[] AllOf(VmInfo vm) => [.. vm.Configuration.NetworkAdapters.Select(a => From(vm, NetworkAdapterInfo.From(a, null)))];

    /// <summary>The VM's adapters; a running VM's worker is asked for each one's port.</summary>
    public static VMNetworkAdapter[] AllOf(VmInfo vm, Management.Lifecycle.VmManager manager) =>
        [.. manager.GetNetworkAdapters(vm).Select(a => From(vm, a))];

    public override string ToString() => $"VMNetworkAdapter (Name = '{Name}', VMName = '{VMName}')";
}
