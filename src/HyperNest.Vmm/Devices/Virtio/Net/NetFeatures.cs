using HyperNest.Vmm.Network;

namespace HyperNest.Vmm.Devices.Virtio;

/// <summary>virtio-net feature bits (virtio 1.2 §5.1.3) and which of them a backend can carry.</summary>
public static class NetFeatures
{
    /// <summary>VIRTIO_NET_F_CSUM: the device takes frames with partial checksums (the driver's TX offload).</summary>
    public const ulong Checksum = 1UL << 0;

    /// <summary>VIRTIO_NET_F_GUEST_CSUM: the driver takes frames with partial checksums.</summary>
    public const ulong GuestChecksum = 1UL << 1;

    /// <summary>VIRTIO_NET_F_MAC: the configuration space holds the adapter's MAC address.</summary>
    public const ulong Mac = 1UL << 5;

    public const ulong GuestTso4 = 1UL << 7;
    public const ulong GuestTso6 = 1UL << 8;
    public const ulong GuestEcn = 1UL << 9;
    public const ulong GuestUfo = 1UL << 10;
    public const ulong HostTso4 = 1UL << 11;
    public const ulong HostTso6 = 1UL << 12;
    public const ulong HostEcn = 1UL << 13;
    public const ulong HostUfo = 1UL << 14;

    /// <summary>VIRTIO_NET_F_MRG_RXBUF: a received frame may span several receive buffers (num_buffers).</summary>
    public const ulong MergeableReceiveBuffers = 1UL << 15;

    /// <summary>VIRTIO_NET_F_STATUS: the configuration space holds the link status.</summary>
    public const ulong Status = 1UL << 16;

    /// <summary>What every virtio-net device here offers, whatever its backend.</summary>
    public const ulong Always = Mac | Status | MergeableReceiveBuffers;

    /// <summary>
    /// The features a device on <paramref name="backend"/> offers. Offloads need a vnet header to travel in; UFO
    /// only where the backend takes it. Each offload comes with what it depends on (§5.1.3.1): TSO, ECN and UFO
    /// with the checksum feature of the same direction.
    /// </summary>
    public static ulong OfferedFor(INetworkBackend backend)
    {
        ArgumentNullException.ThrowIfNull(backend);
        if (!backend.HasVnetHeader)
        {
            return Always;
        }

        ulong offered = Always | Checksum | HostTso4 | HostTso6 | HostEcn;
        NetworkOffloads supported = backend.SupportedOffloads;
        if (supported.HasFlag(NetworkOffloads.Ufo))
        {
            offered |= HostUfo;
        }

        if (supported.HasFlag(NetworkOffloads.Checksum))
        {
            offered |= GuestChecksum;
            offered |= supported.HasFlag(NetworkOffloads.Tso4) ? GuestTso4 : 0;
            offered |= supported.HasFlag(NetworkOffloads.Tso6) ? GuestTso6 : 0;
            offered |= supported.HasFlag(NetworkOffloads.TsoEcn) ? GuestEcn : 0;
            offered |= supported.HasFlag(NetworkOffloads.Ufo) ? GuestUfo : 0;
        }

        return offered;
    }

    /// <summary>The offloads received frames may carry once the driver accepted <paramref name="negotiated"/>.</summary>
    public static NetworkOffloads GuestOffloads(ulong negotiated)
    {
        if ((negotiated & GuestChecksum) == 0)
        {
            return NetworkOffloads.None;
        }

        return NetworkOffloads.Checksum
            | ((negotiated & GuestTso4) != 0 ? NetworkOffloads.Tso4 : 0)
            | ((negotiated & GuestTso6) != 0 ? NetworkOffloads.Tso6 : 0)
            | ((negotiated & GuestEcn) != 0 ? NetworkOffloads.TsoEcn : 0)
            | ((negotiated & GuestUfo) != 0 ? NetworkOffloads.Ufo : 0);
    }
}
