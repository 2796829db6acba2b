using System.Buffers.Binary;
using HyperNest.Kvm;
using HyperNest.Vmm.Devices.Virtio;
using HyperNest.Vmm.Memory;
using HyperNest.Vmm.Network;

namespace HyperNest.Fuzz.Virtio;

/// <summary>
/// virtio-net (virtio 1.2 §5.1) on an in-memory backend (<see cref="MemoryNetworkBackend"/>). The input's first byte
/// picks a backend with or without the vnet header (bit 0: offloads offered, the driver may negotiate them), a switch
/// port with MAC spoofing off in front (bit 1) and a backend that refuses writes (bit 2); the rest is a
/// <see cref="VirtioGuest"/> program whose operation 7 is a frame from the peer (any length, runts included; the
/// receive turn the device's thread would take follows), the device thread's turns on both queues, a well-shaped
/// transmit chain (header and frame in pieces) or receive buffers (chains of writable pieces). The device's own thread
/// is not started: the target takes its turns (<see cref="MmioTransport.NotifyQueue"/>, as the thread does), so runs
/// are deterministic and leave no thread behind. Checked: a transmitted chain comes back with used length 0; a
/// well-formed one (readable only, header and at least an Ethernet header, not past the largest frame) reaches the
/// backend as exactly the guest's bytes (minus the header without a vnet header) unless the port or the backend
/// refused it; every chain is sent, dropped or refused, once (the counters); a received frame comes back only in a
/// chain with no readable buffer, within its writable length, and without mergeable buffers is one the peer sent
/// behind a header whose num_buffers is 1.
/// </summary>
public sealed class NetTarget : IFuzzTarget
{
    private static readonly byte[] Mac = [0x52, 0x54, 0x00, 0x12, 0x34, 0x56];

    [ThreadStatic]
    private static MemoryNetworkBackend? s_backend;

    public string Name => "virtio-net";

    public string Description => "transmit and receive through an in-memory backend; frames sent are the guest's bytes, received ones land in offered buffers";

    public void Run(ReadOnlySpan<byte> input)
    {
        GuestMemory memory = VirtioGuest.FreshMemory();
        var reader = new FuzzInput(input);
        byte setup = reader.Byte();
        MemoryNetworkBackend backend = s_backend ??= new MemoryNetworkBackend();
        backend.Reset(hasVnetHeader: (setup & 1) != 0);
        backend.RefusesWrites = (setup & 4) != 0;
        SwitchPort? port = (setup & 2) != 0 ? new SwitchPort(Mac, macAddressSpoofing: false) : null;
        using var net = new Net(Mac, backend, port);
        var session = new Session(net, backend, memory, port is not null);
        session.Play(ref reader);
    }

    private sealed class Session
    {
        private readonly Net _net;
        private readonly MemoryNetworkBackend _backend;
        private readonly GuestMemory _memory;
        private readonly VirtioGuest _guest;
        private readonly bool _hasPort;
        private readonly List<GuestBuffer> _buffers = [];
        private readonly List<byte[]> _peerFrames = [];
        private int _matched, _transmitChains;
        private bool _transmitModel = true;

        public Session(Net net, MemoryNetworkBackend backend, GuestMemory memory, bool hasPort)
        {
            (_net, _backend, _memory, _hasPort) = (net, backend, memory, hasPort);
            _guest = new VirtioGuest(net, memory) { Used = Check };
        }

        public void Play(ref FuzzInput reader)
        {
            _guest.Run(ref reader, Event);
            if (!_guest.IsChecked)
            {
                return;
            }

            InvariantViolation.Check(_net.TransmittedFrames + _net.TransmitDropped + _net.TransmitRefused == _transmitChains,
                $"{_transmitChains} transmit chains came back, but {_net.TransmittedFrames} were sent, {_net.TransmitDropped} dropped and {_net.TransmitRefused} refused");
            InvariantViolation.Check(_net.TransmittedFrames == _backend.Written.Count, "the backend took another number of frames than the device counts");
            InvariantViolation.Check(!_transmitModel || _matched == _backend.Written.Count, $"{_backend.Written.Count - _matched} frames reached the backend that no transmit chain held");
        }

        private void Event(ref FuzzInput reader)
        {
            byte how = reader.Byte();
            switch (how % 4)
            {
                case 0:
                    PeerFrame(ref reader, how);
                    break;
                case 1:
                    _guest.Transport.NotifyQueue(Net.TransmitQueue);
                    _guest.Transport.NotifyQueue(Net.ReceiveQueue);
                    break;
                case 2:
                    TransmitChain(ref reader);
                    break;
                default:
                    ReceiveBuffers(ref reader);
                    break;
            }
        }

        /// <summary>A frame from the peer, then the receive turn the device's thread takes when its backend is readable.</summary>
        private void PeerFrame(ref FuzzInput reader, byte how)
        {
            int header = _backend.HasVnetHeader ? Net.HeaderSize : 0;
            int length = (how & 0x80) != 0 ? reader.UInt16() % (TapDevice.MaxFrameLength + 16) : reader.Byte() % 128;
            byte[] frame = new byte[length];
            var content = reader.Bytes(Math.Min(length, 64));
            content.CopyTo(frame);
            frame.AsSpan(content.Length).Fill((byte)length);
            _backend.Deliver(frame);
            if (length >= header)
            {
                _peerFrames.Add(frame[header..]);
            }

            _guest.Transport.NotifyQueue(Net.ReceiveQueue);
        }

        private void TransmitChain(ref FuzzInput reader)
        {
            ushort size = _guest.QueueSize(Net.TransmitQueue);
            int pieces = 1 + reader.Byte() % 4;
            if (size < pieces)
            {
                return;
            }

            ulong at = VirtioGuest.DataStart + 0x40000;
            int head = reader.Byte() % size;
            for (int p = 0; p < pieces; p++)
            {
                uint length = reader.Bool() ? reader.UInt16() % 0x2000u : reader.Byte();
                length = (uint)Math.Min(length, VirtioGuest.MemorySize - at);
                var content = reader.Bytes((int)Math.Min(length, 32));
                _memory.GetSpan(at, (int)length).Fill((byte)p);
                _memory.Write(at, content);
                int index = (head + p) % size;
                _guest.WriteDescriptor(Net.TransmitQueue, index, at, length, p + 1 < pieces ? VirtqDescriptor.FlagNext : (ushort)0, (ushort)((index + 1) % size));
                at += length;
            }

            _guest.OfferAndNotify(Net.TransmitQueue, (ushort)head);
        }

        private void ReceiveBuffers(ref FuzzInput reader)
        {
            ushort size = _guest.QueueSize(Net.ReceiveQueue);
            int chains = 1 + reader.Byte() % 4;
            if (size < 2 * chains)
            {
                return;
            }

            ulong at = VirtioGuest.DataStart;
            int index = reader.Byte() % size;
            for (int c = 0; c < chains; c++)
            {
                int head = index, pieces = 1 + reader.Byte() % 2;
                for (int p = 0; p < pieces; p++)
                {
                    uint length = reader.Bool() ? reader.UInt16() % 0x4000u : reader.Byte();
                    length = (uint)Math.Min(length, 0x40000 / 8);
                    ushort flags = (ushort)(VirtqDescriptor.FlagWrite | (p + 1 < pieces ? VirtqDescriptor.FlagNext : 0));
                    _guest.WriteDescriptor(Net.ReceiveQueue, index, at, length, flags, (ushort)((index + 1) % size));
                    index = (index + 1) % size;
                    at += length;
                }

                // One notification after the last chain: the device walks every chain as the checks will see it.
                _guest.OfferAndNotify(Net.ReceiveQueue, (ushort)head, notify: c + 1 == chains);
            }
        }

        private void Check(int queue, ushort head, uint usedLength)
        {
            if (queue == Net.TransmitQueue)
            {
                CheckTransmitted(head, usedLength);
            }
            else if (queue == Net.ReceiveQueue && _guest.IsChecked && _guest.TryReadChain(queue, head, _buffers, out int firstWritable))
            {
                CheckReceived(usedLength, firstWritable);
            }
        }

        private void CheckTransmitted(ushort head, uint usedLength)
        {
            _transmitChains++;
            InvariantViolation.Check(usedLength == 0, $"a transmit chain came back with used length {usedLength}");
            if (!_transmitModel || !_guest.TryReadChain(Net.TransmitQueue, head, _buffers, out int firstWritable) || _guest.SharesBytesWithOtherChains(_buffers))
            {
                _transmitModel = false;
                return;
            }

            long readable = VirtioGuest.LengthOf(_buffers, 0, firstWritable);

            bool wellFormed = firstWritable == _buffers.Count && readable - Net.HeaderSize >= Net.MinimumFrameLength && readable <= TapDevice.MaxFrameLength;
            int skip = _backend.HasVnetHeader ? 0 : Net.HeaderSize;
            bool sent = false;
            if (wellFormed && _matched < _backend.Written.Count)
            {
                byte[] next = _backend.Written[_matched];
                byte[] expected = new byte[readable - skip];
                _guest.Gather(_buffers, 0, firstWritable, skip, expected);
                sent = next.AsSpan().SequenceEqual(expected);
                InvariantViolation.Check(sent || _hasPort || next.Length != expected.Length || !VirtioGuest.AreDisjoint(_buffers),
                    "the backend got a frame that is not the bytes the guest offered");
                _matched += sent ? 1 : 0;
            }

            InvariantViolation.Check(sent || !wellFormed || _hasPort || _backend.RefusesWrites, "a well-formed frame did not reach the backend");
        }

        private void CheckReceived(uint usedLength, int firstWritable)
        {
            if (usedLength == 0)
            {
                return;
            }

            long writable = VirtioGuest.LengthOf(_buffers, firstWritable, _buffers.Count);

            InvariantViolation.Check(firstWritable == 0, "a received frame came back in a chain with readable buffers");
            InvariantViolation.Check(usedLength <= writable, $"a received frame of {usedLength} bytes came back in {writable} writable bytes");
            if ((_guest.AcceptedFeatures & NetFeatures.MergeableReceiveBuffers) != 0 || !VirtioGuest.AreDisjoint(_buffers) || _guest.SharesBytesWithOtherChains(_buffers))
            {
                return;
            }

            byte[] got = new byte[usedLength];
            _guest.Gather(_buffers, 0, _buffers.Count, 0, got);
            InvariantViolation.Check(BinaryPrimitives.ReadUInt16LittleEndian(got.AsSpan(10)) == 1, "num_buffers is not 1 without mergeable buffers");
            byte[] frame = got[Net.HeaderSize..];
            InvariantViolation.Check(_peerFrames.Exists(f => f.AsSpan().SequenceEqual(frame)), "a received frame is none the peer sent");
        }
    }
}
