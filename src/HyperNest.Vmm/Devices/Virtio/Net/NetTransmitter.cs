using HyperNest.Kvm;
using HyperNest.Vmm.Network;

namespace HyperNest.Vmm.Devices.Virtio;

/// <summary>
/// virtio-net's transmit path (virtio 1.2 §5.1.6.2): each chain is a 12-byte virtio_net_hdr_v1 and a frame, all
/// device-readable. The switch port sees the frame's head (copied, as it must be contiguous); the backend gets the
/// frame gathered straight from guest RAM. Every chain goes back used with length 0, sent or not (§5.1.6.2.1).
/// Called under the transport's lock, like the rest of the device.
/// </summary>
internal sealed class NetTransmitter(INetworkBackend backend, SwitchPort? port)
{
    /// <summary>How much of a frame the switch port is shown.</summary>
    private const int FrameHeadLength = 512;

    /// <summary>For a frame in more pieces than one writev takes; pinned, so its address is stable.</summary>
    private readonly byte[] _gathered = GC.AllocateUninitializedArray<byte>(TapDevice.MaxFrameLength, pinned: true);

    public long Frames { get; private set; }

    /// <summary>Bytes of the frames the backend took (Ethernet header and payload, not the virtio_net_hdr).</summary>
    public long Bytes { get; private set; }

    /// <summary>Malformed chains and frames the backend refused.</summary>
    public long Dropped { get; private set; }

    /// <summary>Frames the switch port refused (completed to the guest as sent).</summary>
    public long Refused { get; private set; }

    /// <summary>Sends up to <paramref name="budget"/> frames; true when that many were taken and more may wait.</summary>
    public bool Serve(VirtQueue queue, int budget)
    {
        for (int served = 0; served < budget; served++)
        {
            if (!queue.TryPop(out DescriptorChain chain))
            {
                return false;
            }

            Transmit(chain);
            queue.AddUsed(chain.HeadIndex, 0);
        }

        return true;
    }

    private void Transmit(in DescriptorChain chain)
    {
        long frameLength = chain.ReadableLength - Net.HeaderSize;
        bool wellFormed = chain.Error == ChainError.None
            && chain.Writable.IsEmpty
            && frameLength >= Net.MinimumFrameLength
            && chain.ReadableLength <= _gathered.Length;
        if (!wellFormed)
        {
            Dropped++;
            return;
        }

        Span<byte> head = stackalloc byte[FrameHeadLength];
        head = head[..chain.CopyFromReadable(Net.HeaderSize, head[..(int)Math.Min(frameLength, FrameHeadLength)])];
        if (port is not null && !port.AllowTransmit(head, frameLength))
        {
            Refused++;
            return;
        }

        if (Send(chain))
        {
            Frames++;
            Bytes += frameLength;
        }
        else
        {
            Dropped++;
        }
    }

    /// <summary>The frame, with the driver's header when the backend takes one, from guest RAM; else via a copy.</summary>
    private bool Send(in DescriptorChain chain)
    {
        long offset = backend.HasVnetHeader ? 0 : Net.HeaderSize;
        long length = chain.ReadableLength - offset;
        var frame = new IoVectors();
        foreach (Span<byte> piece in chain.ReadableSpans(offset, length))
        {
            if (!frame.TryAdd(piece))
            {
                frame = new IoVectors();
                frame.TryAdd(_gathered.AsSpan(0, chain.CopyFromReadable(offset, _gathered.AsSpan(0, (int)length))));
                break;
            }
        }

        return backend.Write(ref frame);
    }
}
