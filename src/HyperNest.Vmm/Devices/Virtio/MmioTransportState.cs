namespace HyperNest.Vmm.Devices.Virtio;

/// <summary>
/// A virtio-mmio transport's state between a save and a restore (virtio 1.2 §4.2.2): the device status, the features
/// the driver accepted, the registers it selected with, the interrupt status, the configuration generation, and each
/// queue's <see cref="VirtQueueState"/>. The device's own state (its configuration space, what it is doing) is its
/// own record.
/// </summary>
public sealed record MmioTransportState
{
    /// <summary>The Status register (§2.1).</summary>
    public required VirtioDeviceStatus Status { get; init; }

    /// <summary>The features the driver wrote (DriverFeatures, both halves); a subset of what the device offers.</summary>
    public required ulong DriverFeatures { get; init; }

    /// <summary>DeviceFeaturesSel.</summary>
    public required uint DeviceFeaturesSelect { get; init; }

    /// <summary>DriverFeaturesSel.</summary>
    public required uint DriverFeaturesSelect { get; init; }

    /// <summary>QueueSel.</summary>
    public required uint QueueSelect { get; init; }

    /// <summary>InterruptStatus: bits the driver has not acknowledged yet.</summary>
    public required uint InterruptStatus { get; init; }

    /// <summary>ConfigGeneration.</summary>
    public required uint ConfigGeneration { get; init; }

    /// <summary>Queues notified between FEATURES_OK and DRIVER_OK, served at DRIVER_OK (§3.1.1).</summary>
    public required IReadOnlyList<bool> NotifiedBeforeDriverOk { get; init; }

    /// <summary>One state per queue, in queue order.</summary>
    public required IReadOnlyList<VirtQueueState> Queues { get; init; }
}
