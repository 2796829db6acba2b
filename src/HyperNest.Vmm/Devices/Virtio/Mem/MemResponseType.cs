namespace HyperNest.Vmm.Devices.Virtio;

/// <summary>The type of a virtio-mem response (virtio 1.2 §5.15.6), its first 16-bit field.</summary>
public enum MemResponseType : ushort
{
    /// <summary>VIRTIO_MEM_RESP_ACK: done.</summary>
    Ack = 0,

    /// <summary>VIRTIO_MEM_RESP_NACK: refused, for a PLUG beyond requested_size.</summary>
    Nack = 1,

    /// <summary>VIRTIO_MEM_RESP_BUSY: cannot be done now; the driver retries later.</summary>
    Busy = 2,

    /// <summary>VIRTIO_MEM_RESP_ERROR: a malformed request (alignment, range, blocks in the wrong state).</summary>
    Error = 3,
}
