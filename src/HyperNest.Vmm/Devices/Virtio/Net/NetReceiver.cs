using System.Buffers.Binary;
using HyperNest.Kvm;
using HyperNest.Vmm.Network;

namespace HyperNest.Vmm.Devices.Virtio;

/// <summary>
/// virtio-net's receive path (virtio 1.2 §5.1.6.3-4): frames from the backend into the driver's receive buffers,
/// each behind a 12-byte virtio_net_hdr_v1. A frame is read into a host buffer first, so the device knows its length
/// before it takes any of the driver's buffers; one the driver has no room for yet stays there until it adds some.
/// Called under the transport's lock, like the rest of the device.
/// </summary>
internal sealed class NetReceiver(INetworkBackend backend, SwitchPort? port)
{
    /// <summary>Where num_buffers sits in virtio_net_hdr_v1.</summary>
    private const int NumBuffersOffset = 10;

    /// <summary>The pending frame, header first; the header is zeros (no offloads) for a backend without one.</summary>
    private readonly byte[] _frame = new byte[TapDevice.MaxFrameLength];

    // The chains one frame is spread over, until it is published (mergeable buffers).
    private readonly ushort[] _heads = new ushort[Net.QueueSize];
    private readonly uint[] _lengths = new uint[Net.QueueSize];

    /// <summary>The pending frame's length with its header; 0 when none is pending.</summary>
    private int _length;

    public long Frames { get; private set; }

    /// <summary>Bytes of the frames delivered (Ethernet header and payload, not the virtio_net_hdr).</summary>
    public long Bytes { get; private set; }

    public long Dropped { get; private set; }

    /// <summary>The driver accepted VIRTIO_NET_F_MRG_RXBUF.</summary>
    public bool Mergeable { get; set; }

    /// <summary>Delivers up to <paramref name="budget"/> frames and says why it stopped.</summary>
    public NetReceiveOutcome Serve(VirtQueue queue, int budget)
    {
        for (int served = 0; served < budget; served++)
        {
            if (_length == 0)
            {
                NetReceiveOutcome? fetchFailure = Fetch();
                if (fetchFailure is { } outcome)
                {
                    return outcome;
                }

                if (_length == 0)
                {
                    // A runt was dropped; look again.
                    continue;
                }
            }

            if (!(Mergeable ? DeliverMerged(queue) : DeliverWhole(queue)))
            {
                return NetReceiveOutcome.NoBuffers;
            }

            _length = 0;
        }

        return NetReceiveOutcome.BudgetSpent;
    }

    /// <summary>Forgets a pending frame: after a device reset it belongs to no driver.</summary>
    public void Reset()
    {
        _length = 0;
        Mergeable = false;
    }

    private static bool IsReceiveChain(in DescriptorChain chain) =>
        chain.Error == ChainError.None && chain.Readable.IsEmpty && chain.WritableLength > 0;

    /// <summary>Reads the next frame into the buffer; null when one is pending (or a runt was dropped).</summary>
    private NetReceiveOutcome? Fetch()
    {
        int header = backend.HasVnetHeader ? 0 : Net.HeaderSize;
        int read = backend.Read(_frame.AsSpan(header));
        if (read <= 0)
        {
            return read == 0 ? NetReceiveOutcome.BackendEmpty : NetReceiveOutcome.BackendFailed;
        }

        if (read - Net.HeaderSize + header < Net.MinimumFrameLength)
        {
            Dropped++;
            return null;
        }

        if (header != 0)
        {
            _frame.AsSpan(0, Net.HeaderSize).Clear();
        }

        _length = read + header;

        // §5.1.6.4: 1 without VIRTIO_NET_F_MRG_RXBUF; the count of buffers used with it, written when known.
        BinaryPrimitives.WriteUInt16LittleEndian(_frame.AsSpan(NumBuffersOffset), 1);
        return null;
    }

    /// <summary>The whole frame in one chain (§5.1.6.3.1 without MRG_RXBUF). False when no chain is available.</summary>
    private bool DeliverWhole(VirtQueue queue)
    {
        if (!queue.TryPop(out DescriptorChain chain))
        {
            return false;
        }

        if (!IsReceiveChain(chain) || chain.WritableLength < _length)
        {
            // Too small, or not a receive buffer at all: this frame is lost, the buffer goes back unused.
            Dropped++;
            queue.AddUsed(chain.HeadIndex, 0);
            return true;
        }

        chain.CopyToWritable(0, _frame.AsSpan(0, _length));
        queue.AddUsed(chain.HeadIndex, (uint)_length);
        Observe();
        return true;
    }

    /// <summary>
    /// The frame across as many chains as it needs, published together so the driver never sees part of it.
    /// False, with every chain given back, when the driver has not made enough available yet.
    /// </summary>
    private bool DeliverMerged(VirtQueue queue)
    {
        int copied = 0, used = 0;
        bool usable = true;
        Span<byte> numBuffersLow = default, numBuffersHigh = default;
        while (copied < _length)
        {
            // A frame larger than all the buffers the ring can hold would wait forever.
            if (used == queue.Size || !queue.TryPop(out DescriptorChain chain))
            {
                if (used < queue.Size)
                {
                    queue.UndoPop(used);
                    return false;
                }

                usable = false;
                break;
            }

            _heads[used++] = chain.HeadIndex;
            if (!IsReceiveChain(chain) || (used == 1 && chain.WritableLength < Net.HeaderSize))
            {
                usable = false;
                break;
            }

            int take = (int)Math.Min(chain.WritableLength, _length - copied);
            chain.CopyToWritable(0, _frame.AsSpan(copied, take));
            _lengths[used - 1] = (uint)take;
            copied += take;
            if (used == 1)
            {
                // The header may be split anywhere, num_buffers too (§2.7.4): keep where its two bytes landed.
                GuestSpans numBuffers = chain.WritableSpans(NumBuffersOffset, 2);
                numBuffers.MoveNext();
                numBuffersLow = numBuffers.Current;
                numBuffersHigh = numBuffersLow.Length == 2 ? numBuffersLow[1..] : (numBuffers.MoveNext() ? numBuffers.Current : default);
            }
        }

        if (usable)
        {
            numBuffersLow[0] = (byte)used;
            numBuffersHigh[0] = (byte)(used >> 8);
            Observe();
        }
        else
        {
            Dropped++;
        }

        for (int i = 0; i < used; i++)
        {
            queue.StageUsed(_heads[i], usable ? _lengths[i] : 0);
        }

        queue.PublishUsed();
        return true;
    }

    private void Observe()
    {
        Frames++;
        Bytes += _length - Net.HeaderSize;
        port?.ObserveReceive(_frame.AsSpan(Net.HeaderSize, _length - Net.HeaderSize), _length - Net.HeaderSize);
    }
}
