using System.Runtime.InteropServices;
using HyperNest.Kvm;

namespace HyperNest.Vmm.Network;

/// <summary>
/// Where a virtio-net device's frames go and come from: a TAP device (<see cref="TapBackend"/>), or a fake in tests.
/// Created and owned by the caller; the device only uses it, from its queue threads (never two calls at once).
/// Frames are whole Ethernet frames from the destination MAC on, without FCS; with <see cref="HasVnetHeader"/>
/// each is preceded, in both directions, by a 12-byte virtio_net_hdr_v1 (virtio 1.2 §5.1.6).
/// </summary>
public interface INetworkBackend
{
    /// <summary>Frames carry a 12-byte virtio_net_hdr_v1, so checksum and segmentation offloads can pass through.</summary>
    bool HasVnetHeader { get; }

    /// <summary>The offloads <see cref="SetOffloads"/> accepts; <see cref="NetworkOffloads.None"/> without a vnet header.</summary>
    NetworkOffloads SupportedOffloads { get; }

    /// <summary>Readable (POLLIN) while a frame may be waiting for <see cref="Read"/>: what the device polls.</summary>
    SafeHandle ReadableHandle { get; }

    /// <summary>Which offloads received frames may carry from now on (a subset of <see cref="SupportedOffloads"/>);
    /// false if the backend refused, and then frames come without them.</summary>
    bool SetOffloads(NetworkOffloads offloads);

    /// <summary>
    /// Reads one frame (with its header when <see cref="HasVnetHeader"/>) into <paramref name="frame"/>, which holds
    /// <see cref="TapDevice.MaxFrameLength"/> bytes. Returns its length in bytes, 0 when none is waiting, or -1 when
    /// the backend failed for good and no frame will come again. Never blocks.
    /// </summary>
    int Read(Span<byte> frame);

    /// <summary>
    /// Sends one frame gathered from <paramref name="frame"/> (with its header when <see cref="HasVnetHeader"/>).
    /// False when the backend dropped it (link down, no room, a header it refuses). Never blocks.
    /// </summary>
    bool Write(scoped ref IoVectors frame);
}
