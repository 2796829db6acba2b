using HyperNest.Management.Disks;

namespace HyperNest.PowerShell.Objects;

/// <summary>
/// What Get-VHD, New-VHD, Resize-VHD and Convert-VHD write (Hyper-V's VirtualHardDisk). VhdFormat adds Raw and
/// Qcow2 to Hyper-V's VHD and VHDX; sizes are in bytes; VMName names the VMs it is attached to (HyperNest's).
/// </summary>
public sealed class VirtualHardDisk
{
    public string ComputerName => Environment.MachineName;

    public required string Path { get; init; }

    public required VhdFormat VhdFormat { get; init; }

    public required VhdType VhdType { get; init; }

    public required long FileSize { get; init; }

    public required long Size { get; init; }

    public long? MinimumSize { get; init; }

    public int LogicalSectorSize { get; init; }

    public int PhysicalSectorSize { get; init; }

    public int BlockSize { get; init; }

    public string? ParentPath { get; init; }

    public bool Attached { get; init; }

    /// <summary>The VMs it is attached to, comma-separated; empty when none.</summary>
    public required string VMName { get; init; }

    public static VirtualHardDisk From(Management.Disks.VirtualHardDisk disk) => new()
    {
        Path = disk.Path,
        VhdFormat = disk.VhdFormat,
        VhdType = disk.VhdType,
        FileSize = disk.FileSize,
        Size = disk.Size,
        MinimumSize = disk.MinimumSize,
        LogicalSectorSize = disk.LogicalSectorSize,
        PhysicalSectorSize = disk.PhysicalSectorSize,
        BlockSize = disk.BlockSize,
        ParentPath = disk.ParentPath,
        Attached = disk.Attached,
        VMName = string.Join(", ", disk.AttachedTo),
    };

    public override string ToString() => Path;
}
