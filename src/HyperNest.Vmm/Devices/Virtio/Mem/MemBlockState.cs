namespace HyperNest.Vmm.Devices.Virtio;

/// <summary>The answer to a STATE request (virtio 1.2 §5.15.6.4), in the response after its type and padding.</summary>
public enum MemBlockState : ushort
{
    /// <summary>VIRTIO_MEM_STATE_PLUGGED: every block asked about is plugged.</summary>
    Plugged = 0,

    /// <summary>VIRTIO_MEM_STATE_UNPLUGGED: none is.</summary>
    Unplugged = 1,

    /// <summary>VIRTIO_MEM_STATE_MIXED: some are.</summary>
    Mixed = 2,
}
