namespace HyperNest.Management.Nested;

/// <summary>
/// What the guide refuses for a VM that exposes virtualization extensions (it hosts VMs of its own) and HyperNest
/// still refuses. Runtime memory resize and save/restore are not among them: HyperNest resizes such a VM while its own
/// VMs run (lab scenario nested-memory) and saves and restores it with them running (nested-save-restore), which
/// Hyper-V does not.
/// </summary>
public enum NestedRestrictedOperation
{
    /// <summary>Applying a checkpoint to a running VM.</summary>
    ApplyCheckpointToRunningVm,

    /// <summary>Live migration.</summary>
    LiveMigration,

    /// <summary>A checkpoint of a running VM (it saves the VM's state and puts its disks on overlays).</summary>
    CheckpointRunningVm,
}
