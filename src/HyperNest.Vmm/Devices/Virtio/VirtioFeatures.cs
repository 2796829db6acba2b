namespace HyperNest.Vmm.Devices.Virtio;

/// <summary>Device-independent feature bits (virtio 1.2 §6) that the transport and the virtqueue implement.</summary>
public static class VirtioFeatures
{
    /// <summary>VIRTIO_F_INDIRECT_DESC (bit 28): a descriptor may point to a table of descriptors (§2.7.5.3).</summary>
    public const ulong RingIndirectDescriptors = 1UL << 28;

    /// <summary>VIRTIO_F_EVENT_IDX (bit 29): used_event / avail_event suppress notifications (§2.7.7, §2.7.10).</summary>
    public const ulong RingEventIndex = 1UL << 29;

    /// <summary>VIRTIO_F_VERSION_1 (bit 32): a modern device. It must be offered, and a driver that does not accept
    /// it is refused FEATURES_OK: this transport has no legacy interface.</summary>
    public const ulong Version1 = 1UL << 32;

    /// <summary>What every device behind <see cref="MmioTransport"/> offers on top of its own features.</summary>
    public const ulong Transport = RingIndirectDescriptors | RingEventIndex | Version1;
}
