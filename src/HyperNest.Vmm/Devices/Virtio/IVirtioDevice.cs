namespace HyperNest.Vmm.Devices.Virtio;

/// <summary>
/// The device-specific half of a virtio device. The transport (<see cref="MmioTransport"/>) owns the registers, the
/// status state machine, feature negotiation and the queues; it serialises every call into the device, so a device
/// needs no locking of its own. Calls must not throw for anything the guest controls: a bad request fails that
/// request (or leaves the queue broken, which the transport reports as DEVICE_NEEDS_RESET).
/// </summary>
public interface IVirtioDevice
{
    VirtioDeviceType DeviceType { get; }

    /// <summary>Device-specific feature bits; the transport adds <see cref="VirtioFeatures.Transport"/>.</summary>
    ulong OfferedFeatures { get; }

    int QueueCount { get; }

    /// <summary>The largest size (a power of two) the driver may give each queue.</summary>
    ushort MaxQueueSize { get; }

    /// <summary>Reads the device configuration space; bytes beyond it read as zero.</summary>
    void ReadConfig(uint offset, Span<byte> data);

    void WriteConfig(uint offset, ReadOnlySpan<byte> data);

    /// <summary>The driver set DRIVER_OK with these features accepted; queues may be processed from now on.</summary>
    void Activate(ulong negotiatedFeatures);

    /// <summary>The driver reset the device (status 0): back to the state before negotiation.</summary>
    void Reset();

    /// <summary>
    /// The driver notified <paramref name="queueIndex"/>: pop what it made available and add what was completed to
    /// the used ring. The transport decides whether to interrupt the guest afterwards.
    /// </summary>
    void ProcessQueue(int queueIndex, VirtQueue queue);
}
