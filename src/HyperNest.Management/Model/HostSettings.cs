namespace HyperNest.Management.Model;

/// <summary>
/// What Set-VMHost keeps (host.json in the store's folder, written atomically under the store's lock): the dynamic MAC
/// address range new adapters draw from, and the default folder of virtual hard disks.
/// </summary>
public sealed record HostSettings
{
    /// <summary>The newest host.json layout this HyperNest writes and reads.</summary>
    public const int CurrentSchemaVersion = 1;

    /// <summary>The whole of Hyper-V's prefix 00:15:5D: HyperNest's range until Set-VMHost narrows it.</summary>
    public const string DefaultMacAddressMinimum = MacAddress.DynamicPrefix + "000000", DefaultMacAddressMaximum = MacAddress.DynamicPrefix + "FFFFFF";

    public int SchemaVersion { get; init; } = CurrentSchemaVersion;

    // `?? default` in init: a member a file or message leaves out takes its default, not null (System.Text.Json's
    // generated code sets every init-only member, passing null for a missing one).
    /// <summary>The lowest dynamic MAC address, 12 upper-case hex digits.</summary>
    public string MacAddressMinimum { get; init => field = value ?? DefaultMacAddressMinimum; } = DefaultMacAddressMinimum;

    /// <summary>The highest dynamic MAC address, 12 upper-case hex digits.</summary>
    public string MacAddressMaximum { get; init => field = value ?? DefaultMacAddressMaximum; } = DefaultMacAddressMaximum;

    /// <summary>The default folder of virtual hard disks; null: the store's disks folder.</summary>
    public string? VirtualHardDiskPath { get; init; }
}
