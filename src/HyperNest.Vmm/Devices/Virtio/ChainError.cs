namespace HyperNest.Vmm.Devices.Virtio;

/// <summary>Why a descriptor chain the guest made available cannot be trusted (virtio 1.2 §2.7.5).</summary>
public enum ChainError
{
    None,

    /// <summary>More descriptors than the queue (or indirect table) holds: the chain loops.</summary>
    TooLong,

    /// <summary>A next index beyond the descriptor table.</summary>
    DescriptorIndexOutOfRange,

    /// <summary>An indirect descriptor that is not allowed here (not negotiated, not at the head, nested, with
    /// NEXT set) or whose table is empty, not a whole number of descriptors, too large or not guest RAM.</summary>
    IndirectTableMalformed,

    /// <summary>A device-readable descriptor after a device-writable one (§2.7.5.2).</summary>
    ReadableAfterWritable,

    /// <summary>A buffer that is not wholly guest RAM, or is longer than 2 GiB. The chain's shape is intact, so a
    /// device may still reach a status byte at its end.</summary>
    BufferOutsideGuestMemory,
}
