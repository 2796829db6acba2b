namespace HyperNest.Vmm.Devices.Virtio;

/// <summary>Why the receive path stopped, which says what the device waits for next.</summary>
internal enum NetReceiveOutcome
{
    /// <summary>No frame waits: wait for the backend.</summary>
    BackendEmpty,

    /// <summary>A frame waits but the driver has no buffer for it: wait for the driver's notification.</summary>
    NoBuffers,

    /// <summary>The work allowed for one turn is done and more may wait: take another turn.</summary>
    BudgetSpent,

    /// <summary>The backend failed for good: stop polling it.</summary>
    BackendFailed,
}
