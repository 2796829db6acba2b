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

    public bool Connected => SwitchName is not null;

    public bool IsManagementOs => false;

    public static VMNetworkAdapter From(VmInfo vm, VmNetworkAdapter adapter) => new()
    {
        Name = adapter.Name,
        VMName = vm.Name,
        VMId = vm.Id,
        MacAddress = adapter.MacAddress,
        DynamicMacAddressEnabled = adapter.DynamicMacAddressEnabled,
        MacAddressSpoofing = adapter.MacAddressSpoofing ? OnOffState.On : OnOffState.Off,
        SwitchName = adapter.SwitchName,
    };

    public static VMNetworkAdapter[] AllOf(VmInfo vm) => [.. vm.Configuration.NetworkAdapters.Select(a => From(vm, a))];

    public override string ToString() => $"VMNetworkAdapter (Name = '{Name}', VMName = '{VMName}')";
}
