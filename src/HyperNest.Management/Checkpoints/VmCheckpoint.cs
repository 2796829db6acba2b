using HyperNest.Management.Model;

namespace HyperNest.Management.Checkpoints;

/// <summary>
/// One Standard checkpoint (Hyper-V's VMSnapshot): the VM's configuration at that moment, whose disks are the images
/// frozen then (no longer written by anyone; <see cref="CheckpointTree.Overlays"/> made on them carry the writes
/// since), and, when the VM was running, paused or saved, its state and memory (<see cref="Store.VmFolder.CheckpointState"/>).
/// </summary>
public sealed record VmCheckpoint
{
    public required Guid Id { get; init; }

    /// <summary>Its name; names need not be unique (Hyper-V's rule), so operations by name take every match.</summary>
    public required string Name { get; init; }

    /// <summary>The checkpoint it was taken after (the VM's current checkpoint then); null for a root.</summary>
    public Guid? ParentId { get; init; }

    public required DateTimeOffset CreationTime { get; init; }

    /// <summary>The configuration put back by a restore; its hard drives name the frozen images.</summary>
    public required VmConfiguration Configuration { get; init; }

    /// <summary>It holds a saved state (taken while running, paused or saved): a restore leaves the VM Saved.</summary>
    public bool HasSavedState { get; init; }
}
