namespace HyperNest.Management.Model;

/// <summary>Set-VMHost's parameters; null means "leave as is".</summary>
public sealed record HostChanges
{
    public string? MacAddressMinimum { get; init; }

    public string? MacAddressMaximum { get; init; }

    /// <summary>Accepted only as the store's own VM folder: see <see cref="Lifecycle.VmManager.SetHost"/>.</summary>
    public string? VirtualMachinePath { get; init; }

    public string? VirtualHardDiskPath { get; init; }
}
