using HyperNest.Management.Model;

namespace HyperNest.Management.Checkpoints;

/// <summary>What Get-VMSnapshot shows of one checkpoint.</summary>
public sealed record CheckpointInfo
{
    public required string VmName { get; init; }

    public required Guid VmId { get; init; }

    public required Guid Id { get; init; }

    public required string Name { get; init; }

    public Guid? ParentId { get; init; }

    /// <summary>The parent checkpoint's name; null for a root.</summary>
    public string? ParentName { get; init; }

    public required DateTimeOffset CreationTime { get; init; }

    /// <summary>Hyper-V's SnapshotType: always Standard (disks, memory and device state; no Production checkpoints).</summary>
    public string SnapshotType => "Standard";

    /// <summary>The VM's state the checkpoint holds: Saved when it has a saved state (taken running, paused or saved), else Off.</summary>
    public required VmState State { get; init; }

    /// <summary>The VM's present descends from it (Hyper-V's ParentCheckpoint of the VM).</summary>
    public bool IsCurrent { get; init; }

    /// <summary>The frozen disk images it holds.</summary>
    public required IReadOnlyList<string> HardDrives { get; init; }

    public static CheckpointInfo Of(VmConfiguration vm, CheckpointTree tree, VmCheckpoint checkpoint) => new()
    {
        VmName = vm.Name,
        VmId = vm.Id,
        Id = checkpoint.Id,
        Name = checkpoint.Name,
        ParentId = checkpoint.ParentId,
        ParentName = tree.Checkpoints.FirstOrDefault(c => c.Id == checkpoint.ParentId)?.Name,
        CreationTime = checkpoint.CreationTime,
        State = checkpoint.HasSavedState ? VmState.Saved : VmState.Off,
        IsCurrent = tree.CurrentId == checkpoint.Id,
        HardDrives = [.. checkpoint.Configuration.HardDrives.Select(d => d.Path)],
    };
}
