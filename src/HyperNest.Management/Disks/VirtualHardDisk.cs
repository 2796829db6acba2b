namespace HyperNest.Management.Disks;

/// <summary>
/// What Get-VHD and <c>hnest disk show</c> report about a disk image file (Hyper-V's VirtualHardDisk). Sizes in bytes.
/// </summary>
public sealed record VirtualHardDisk
{
    /// <summary>The file's full path.</summary>
    public required string Path { get; init; }

    public required VhdFormat VhdFormat { get; init; }

    public required VhdType VhdType { get; init; }

    /// <summary>The file's length on the host.</summary>
    public required long FileSize { get; init; }

    /// <summary>The disk's size as the guest sees it (a raw file's length; a qcow2 header's virtual size).</summary>
    public required long Size { get; init; }

    /// <summary>
    /// The smallest size Resize-VHD can shrink it to without cutting data, a multiple of 512: for raw, past its last
    /// non-zero byte; for qcow2, past the last cluster it holds and, for a differencing disk, past its parent's data
    /// it shows. Null when HyperNest cannot tell (a VHDX or VHD, a missing parent).
    /// </summary>
    public long? MinimumSize { get; init; }

    /// <summary>The qcow2 cluster size; 0 for a raw image, which has no blocks.</summary>
    public int BlockSize { get; init; }

    /// <summary>The sector size the guest sees: virtio-blk's 512 bytes.</summary>
    public int LogicalSectorSize => 512;

    public int PhysicalSectorSize => 512;

    /// <summary>A differencing disk's parent (its backing file, full path), else null.</summary>
    public string? ParentPath { get; init; }

    /// <summary>The VMs it is attached to (names), in the store's order; empty when none.</summary>
    public IReadOnlyList<string> AttachedTo { get; init; } = [];

    /// <summary>Whether any VM has it attached.</summary>
    public bool Attached => AttachedTo.Count > 0;
}
