namespace HyperNest.Vmm.Devices.Virtio;

/// <summary>The type of a virtio-mem guest request (virtio 1.2 §5.15.6), its first 16-bit field.</summary>
public enum MemRequestType : ushort
{
    /// <summary>VIRTIO_MEM_REQ_PLUG: plug consecutive unplugged blocks (§5.15.6.1).</summary>
    Plug = 0,

    /// <summary>VIRTIO_MEM_REQ_UNPLUG: unplug consecutive plugged blocks (§5.15.6.2).</summary>
    Unplug = 1,

    /// <summary>VIRTIO_MEM_REQ_UNPLUG_ALL: unplug every block (§5.15.6.3).</summary>
    UnplugAll = 2,

    /// <summary>VIRTIO_MEM_REQ_STATE: whether consecutive blocks are plugged, unplugged or mixed (§5.15.6.4).</summary>
    State = 3,
}
