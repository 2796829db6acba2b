namespace HyperNest.Management.Nested;

/// <summary>What the guide refuses for a VM that exposes virtualization extensions (it hosts VMs of its own).</summary>
public enum NestedRestrictedOperation
{
    /// <summary>Changing the memory of a running VM (Dynamic Memory, runtime resize).</summary>
    RuntimeMemoryResize,

    /// <summary>Applying a checkpoint to a running VM.</summary>
    ApplyCheckpointToRunningVm,

    /// <summary>Live migration.</summary>
    LiveMigration,

    /// <summary>Save (and therefore restore).</summary>
    Save,
}
