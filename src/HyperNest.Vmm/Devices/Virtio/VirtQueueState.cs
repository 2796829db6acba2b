namespace HyperNest.Vmm.Devices.Virtio;

/// <summary>
/// A split virtqueue's state between a save and a restore (virtio 1.2 §2.7): where the driver put its three rings,
/// how far the device has got through them, and the ring features negotiated. Plain data — no guest memory, no
/// buffers: a queue is restored into one constructed over the same guest RAM with the same maximum size.
/// </summary>
public sealed record VirtQueueState
{
    /// <summary>The queue size the driver chose (QueueNum, §4.2.2): a power of two up to the queue's maximum.</summary>
    public required ushort Size { get; init; }

    /// <summary>Guest physical address of the descriptor table (§2.7.5), 16-byte aligned.</summary>
    public required ulong DescriptorTableAddress { get; init; }

    /// <summary>Guest physical address of the available ring ("driver area", §2.7.6), 2-byte aligned.</summary>
    public required ulong DriverAreaAddress { get; init; }

    /// <summary>Guest physical address of the used ring ("device area", §2.7.8), 4-byte aligned.</summary>
    public required ulong DeviceAreaAddress { get; init; }

    /// <summary>QueueReady was accepted (the rings were checked then, and are checked again on restore).</summary>
    public required bool Ready { get; init; }

    /// <summary>The driver broke the ring itself: nothing more is popped until the device is reset.</summary>
    public required bool Broken { get; init; }

    /// <summary>The available-ring position of the next chain to pop (a free-running 16-bit counter, §2.7.6).</summary>
    public required ushort NextAvailable { get; init; }

    /// <summary>The used-ring position of the next used element, as published in the used ring's idx (§2.7.8).</summary>
    public required ushort NextUsed { get; init; }

    /// <summary>The used position at the last interrupt decision (for VIRTIO_F_EVENT_IDX, §2.7.7.2).</summary>
    public required ushort UsedAtLastInterruptCheck { get; init; }

    /// <summary>VIRTIO_F_EVENT_IDX (bit 29) was negotiated.</summary>
    public required bool EventIndex { get; init; }

    /// <summary>VIRTIO_F_INDIRECT_DESC (bit 28) was negotiated.</summary>
    public required bool IndirectDescriptors { get; init; }
}
