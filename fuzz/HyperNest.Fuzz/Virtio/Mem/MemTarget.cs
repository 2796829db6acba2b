using System.Buffers.Binary;
using HyperNest.Vmm.Devices.Virtio;
using HyperNest.Vmm.Memory;

namespace HyperNest.Fuzz.Virtio;

/// <summary>
/// virtio-mem (virtio 1.2 §5.15) over a 200 MiB hot-pluggable region (100 blocks: the bitmap's last word is part
/// spare) above 1 MiB of boot RAM, both kept across runs (every block unplugged again between them). The input's
/// first two bytes are the initial requested size in blocks; the rest is a <see cref="VirtioGuest"/> program whose
/// operation 7 is either the host changing requested_size or a well-shaped request (PLUG, UNPLUG, UNPLUG_ALL, STATE
/// or an unknown type; an address in or near the region, aligned or not; any block count). A model of the blocks
/// predicts every response (§5.15.6: ERROR for a range that is not whole blocks of the usable region or has blocks in
/// the wrong state, NACK for a PLUG past requested_size, ACK otherwise, the STATE answer), so checked after every
/// request: the response is the model's (so plugged_size never passes requested_size through a PLUG: the model says
/// NACK); the device reaches exactly the blocks the model has plugged (every block, after every request); the configuration reads block_size, the region, plugged_size and requested_size as the
/// model has them; after the run the plugged bitmap is the model's and covers no block outside the region.
/// </summary>
public sealed class MemTarget : IFuzzTarget
{
    private const ulong BlockSize = 2 * MemoryLayout.MiB;
    private const int Blocks = 100;
    private const ushort Plug = 0, Unplug = 1, UnplugAll = 2, State = 3;
    private const ushort Ack = 0, Nack = 1, Error = 3;

    [ThreadStatic]
    private static GuestMemory? s_memory;

    public string Name => "virtio-mem";

    public string Description => "plug/unplug/state requests and host resizes against a model of the blocks; responses, plugged_size and the bitmap checked";

    public void Run(ReadOnlySpan<byte> input)
    {
        GuestMemory memory = s_memory ??= new GuestMemory(VirtioGuest.MemorySize, Blocks * BlockSize);
        memory.Discard(0, VirtioGuest.MemorySize);
        HotplugRegion region = memory.Hotplug!;
        if (region.PluggedBlocks != 0)
        {
            region.UnplugAll();
        }

        var reader = new FuzzInput(input);
        var device = new Mem(region, (ulong)(reader.UInt16() % (Blocks + 1)) * BlockSize);
        new Session(device, memory, region).Play(ref reader);
    }

    private sealed class Session
    {
        private readonly Mem _device;
        private readonly GuestMemory _memory;
        private readonly HotplugRegion _region;
        private readonly VirtioGuest _guest;
        private readonly bool[] _plugged = new bool[Blocks];
        private readonly List<GuestBuffer> _buffers = [];
        private int _pluggedCount;
        private ulong _requested;

        /// <summary>The model follows the device: every request it served was one the model saw.</summary>
        private bool _modelHolds = true;

        public Session(Mem device, GuestMemory memory, HotplugRegion region)
        {
            (_device, _memory, _region, _requested) = (device, memory, region, device.RequestedSize);
            _guest = new VirtioGuest(device, memory) { Used = Check };
            device.Connect(_guest.Transport.ChangeConfig);
        }

        public void Play(ref FuzzInput reader)
        {
            _guest.Run(ref reader, Event);
            ulong[] bitmap = _region.PluggedBitmap();
            InvariantViolation.Check((bitmap[^1] & (ulong.MaxValue << (Blocks % 64))) == 0, "the plugged bitmap has bits past the region's last block");
            if (_modelHolds && _guest.IsChecked)
            {
                for (int b = 0; b < Blocks; b++)
                {
                    InvariantViolation.Check(((bitmap[b / 64] >> (b % 64)) & 1) == (_plugged[b] ? 1u : 0u), $"block {b} is {(_plugged[b] ? "un" : "")}plugged, the requests say otherwise");
                }
            }
        }

        /// <summary>Operation 7: the host sets requested_size, or the driver sends a well-shaped request.</summary>
        private void Event(ref FuzzInput reader)
        {
            byte how = reader.Byte();
            if ((how & 1) != 0)
            {
                ulong size = reader.UInt32() % (Blocks * BlockSize + 1);
                _device.SetRequestedSize(size);
                _requested = (size + BlockSize - 1) / BlockSize * BlockSize;
                CheckConfig();
                return;
            }

            ushort size0 = _guest.QueueSize(0);
            if (size0 < 2)
            {
                return;
            }

            ushort type = (ushort)((how >> 1) % 5);
            ulong address = (how & 0x10) != 0
                ? reader.UInt64()
                : _region.GuestPhysicalAddress + (ulong)(reader.Byte() % (Blocks + 4)) * BlockSize - ((how & 0x20) != 0 ? BlockSize * 4 : 0) + ((how & 0x40) != 0 ? reader.UInt16() : 0u);
            ushort blocks = (how & 0x80) != 0 ? reader.UInt16() : (ushort)(reader.Byte() % 8);
            Span<byte> request = stackalloc byte[Mem.RequestSize];
            request.Clear();
            BinaryPrimitives.WriteUInt16LittleEndian(request, type);
            BinaryPrimitives.WriteUInt64LittleEndian(request[8..], address);
            BinaryPrimitives.WriteUInt16LittleEndian(request[16..], blocks);
            ulong at = VirtioGuest.DataStart + 0x1000;
            _memory.Write(at, request);
            int head = reader.Byte() % size0;
            _guest.WriteDescriptor(0, head, at, (uint)request.Length, VirtqDescriptor.FlagNext, (ushort)((head + 1) % size0));
            _guest.WriteDescriptor(0, (head + 1) % size0, at + 0x100, 16, VirtqDescriptor.FlagWrite, 0);
            _guest.OfferAndNotify(0, (ushort)head);
        }

        private void Check(int queue, ushort head, uint usedLength)
        {
            if (!_guest.IsChecked || !_modelHolds)
            {
                return;
            }

            if (!_guest.TryReadChain(queue, head, _buffers, out int firstWritable) || !VirtioGuest.AreDisjoint(_buffers) || _guest.SharesBytesWithOtherChains(_buffers))
            {
                _modelHolds = false;
                return;
            }

            long readable = VirtioGuest.LengthOf(_buffers, 0, firstWritable), writable = VirtioGuest.LengthOf(_buffers, firstWritable, _buffers.Count);

            if (readable < Mem.RequestSize || writable < Mem.ResponseSize)
            {
                InvariantViolation.Check(usedLength == 0, $"a request or response too short was answered (used length {usedLength})");
                return;
            }

            InvariantViolation.Check(usedLength == Mem.ResponseSize, $"a response of used length {usedLength}, not {Mem.ResponseSize}");
            Span<byte> request = stackalloc byte[Mem.RequestSize];
            Span<byte> response = stackalloc byte[Mem.ResponseSize];
            _guest.Gather(_buffers, 0, firstWritable, 0, request);
            _guest.Gather(_buffers, firstWritable, _buffers.Count, 0, response);
            ushort type = BinaryPrimitives.ReadUInt16LittleEndian(request);
            ulong address = BinaryPrimitives.ReadUInt64LittleEndian(request[8..]);
            ushort blocks = BinaryPrimitives.ReadUInt16LittleEndian(request[16..]);
            (ushort expected, ushort state) = Predict(type, address, blocks);
            ushort got = BinaryPrimitives.ReadUInt16LittleEndian(response);
            InvariantViolation.Check(got == expected, $"request {type} at 0x{address:x} of {blocks} blocks: response {got}, the spec says {expected}");
            if (type == State && expected == Ack)
            {
                ushort gotState = BinaryPrimitives.ReadUInt16LittleEndian(response[8..]);
                InvariantViolation.Check(gotState == state, $"STATE of {blocks} blocks at 0x{address:x} answered {gotState}, not {state}");
            }

            CheckConfig();
            CheckReachable(type);
        }

        /// <summary>The device reaches exactly the blocks the model has plugged, after any request (UNPLUG_ALL too).</summary>
        private void CheckReachable(ushort type)
        {
            ulong start = _region.GuestPhysicalAddress;
            for (int b = 0; b < Blocks; b++)
            {
                InvariantViolation.Check(_memory.IsValid(start + (ulong)b * BlockSize, BlockSize) == _plugged[b],
                    $"block {b} is {(_plugged[b] ? "not " : "")}reachable after a request of type {type}");
            }
        }

        /// <summary>The response §5.15.6 requires, applying it to the model (and the STATE answer).</summary>
        private (ushort Response, ushort State) Predict(ushort type, ulong address, ushort blocks)
        {
            if (type == UnplugAll)
            {
                Array.Clear(_plugged);
                _pluggedCount = 0;
                return (Ack, 0);
            }

            ulong start = _region.GuestPhysicalAddress;
            bool inRegion = type <= State && blocks != 0 && address % BlockSize == 0 && address >= start
                && (address - start) / BlockSize + blocks <= Blocks;
            if (!inRegion)
            {
                return (Error, 0);
            }

            int first = (int)((address - start) / BlockSize), plugged = 0;
            for (int b = first; b < first + blocks; b++)
            {
                plugged += _plugged[b] ? 1 : 0;
            }

            switch (type)
            {
                case Plug when plugged != 0:
                    return (Error, 0);
                case Plug when (ulong)(_pluggedCount + blocks) * BlockSize > _requested:
                    return (Nack, 0);
                case Plug or Unplug when type == Unplug && plugged != blocks:
                    return (Error, 0);
                case Plug or Unplug:
                    Array.Fill(_plugged, type == Plug, first, blocks);
                    _pluggedCount += type == Plug ? blocks : -blocks;
                    return (Ack, 0);
                default:
                    return (Ack, (ushort)(plugged == blocks ? 0 : plugged == 0 ? 1 : 2));
            }
        }

        private void CheckConfig()
        {
            Span<byte> config = stackalloc byte[56];
            _guest.Transport.Read(MmioTransportConfig, config);
            InvariantViolation.Check(BinaryPrimitives.ReadUInt64LittleEndian(config) == BlockSize, "block_size changed");
            InvariantViolation.Check(BinaryPrimitives.ReadUInt64LittleEndian(config[16..]) == _region.GuestPhysicalAddress, "addr changed");
            InvariantViolation.Check(BinaryPrimitives.ReadUInt64LittleEndian(config[24..]) == Blocks * BlockSize, "region_size changed");
            InvariantViolation.Check(BinaryPrimitives.ReadUInt64LittleEndian(config[48..]) == _requested, "requested_size is not what the host asked for, in whole blocks");
            if (_modelHolds && _guest.IsChecked)
            {
                InvariantViolation.Check(BinaryPrimitives.ReadUInt64LittleEndian(config[40..]) == (ulong)_pluggedCount * BlockSize, "plugged_size is not the plugged blocks'");
            }
        }

        private const ulong MmioTransportConfig = MmioTransport.ConfigOffset;
    }
}
