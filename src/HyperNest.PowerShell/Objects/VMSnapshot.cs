using HyperNest.Management.Checkpoints;
using HyperNest.Management.Model;

namespace HyperNest.PowerShell.Objects;

/// <summary>
/// What Get-VMSnapshot writes (Hyper-V's VMSnapshot): a Standard checkpoint, its parent in the tree, the VM state it
/// holds (Saved: it has memory and device state; Off: disks and settings only) and its frozen disk images.
/// </summary>
public sealed class VMSnapshot
{
    public required string VMName { get; init; }

    public required Guid VMId { get; init; }

    public required Guid Id { get; init; }

    public required string Name { get; init; }

    public string? ParentSnapshotName { get; init; }

    public Guid? ParentSnapshotId { get; init; }

    public required DateTime CreationTime { get; init; }

    public string SnapshotType => "Standard";

    public required VmState State { get; init; }

    /// <summary>The VM's present descends from it (the VM's ParentCheckpoint).</summary>
    public required bool IsCurrent { get; init; }

    public required string[] HardDrives { get; init; }

    public static VMSnapshot From(CheckpointInfo checkpoint) => new()
    {
        VMName = checkpoint.VmName,
        VMId = checkpoint.VmId,
        Id = checkpoint.Id,
        Name = checkpoint.Name,
        ParentSnapshotName = checkpoint.ParentName,
        ParentSnapshotId = checkpoint.ParentId,
        CreationTime = checkpoint.CreationTime.LocalDateTime,
        State = checkpoint.State,
        IsCurrent = checkpoint.IsCurrent,
        HardDrives = [.. checkpoint.HardDrives],
    };

    public override string ToString() => Name;
}
