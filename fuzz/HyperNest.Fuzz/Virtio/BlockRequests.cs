using System.Buffers.Binary;
using HyperNest.Vmm.Devices.Virtio;
using HyperNest.Vmm.Memory;

namespace HyperNest.Fuzz.Virtio;

/// <summary>
/// What the virtio-blk targets share: a hostile driver (<see cref="VirtioGuest"/>) in front of a <see cref="Block"/>,
/// whose operation 7 is a well-shaped request the fuzzer fills in (type, sector, data pieces of any length, status
/// byte), and the checks on every request the device returns (virtio 1.2 §5.2.6): a chain the spec calls well-formed
/// gets a status byte, and it is the one the request deserves: OK for a read or write of whole sectors inside the
/// disk (a write only to a writable one), a flush, a GET_ID with room for its answer; IOERR for any other read, write
/// or GET_ID, and for a chain without a whole header; UNSUPP for a type the device does not know. The used length is
/// the bytes the request returned plus the status byte; a read that got OK returned what the model says the disk
/// holds. The model is the disk's bytes as the target knows them (its initial content, then every write that got OK),
/// with the sectors it cannot know (a chain whose buffers alias) marked unknown; the targets compare it with the image
/// after the run. Only requests whose buffers do not alias each other are compared (a guest may alias, and then the
/// last writer wins).
/// </summary>
public sealed class BlockRequests
{
    private readonly VirtioGuest _guest;
    private readonly GuestMemory _memory;
    private readonly Block _block;
    private readonly List<GuestBuffer> _buffers = [];
    private byte[] _scratch = new byte[4096];

    private readonly byte[] _model;
    private readonly bool[] _unknown;

    /// <summary>
    /// Requests to <paramref name="block"/>, whose content <paramref name="model"/> holds (the caller's, reset by it:
    /// a byte per byte of the disk), <paramref name="unknownSectors"/> (all false at the start) the sectors it
    /// cannot know.
    /// </summary>
    public BlockRequests(Block block, GuestMemory memory, byte[] model, bool[] unknownSectors)
    {
        _block = block;
        _memory = memory;
        _model = model;
        _unknown = unknownSectors;
        _guest = new VirtioGuest(block, memory) { Used = Check };
    }

    /// <summary>Whether the model still holds: the driver never left the checked path (raw addresses, queue moves).</summary>
    public bool ModelHolds => _guest.IsChecked;

    /// <summary>
    /// Compares the model with <paramref name="image"/> (the disk's bytes, read back after the run) on every sector
    /// it knows.
    /// </summary>
    public static void CheckImage(ReadOnlySpan<byte> image, byte[] model, bool[] unknownSectors)
    {
        for (int sector = 0; sector < unknownSectors.Length; sector++)
        {
            int at = sector * Block.SectorSize;
            if (!unknownSectors[sector] && !image.Slice(at, Block.SectorSize).SequenceEqual(model.AsSpan(at, Block.SectorSize)))
            {
                throw new InvariantViolation($"after the run, sector {sector} of the image is not what the guest's writes left there");
            }
        }
    }

    public void Run(ref FuzzInput input) => _guest.Run(ref input, WellShapedRequest);

    /// <summary>Operation 7: header, 0-4 data pieces of fuzzer-chosen lengths, a status byte; offered and notified.</summary>
    private void WellShapedRequest(ref FuzzInput input)
    {
        ushort size = _guest.QueueSize(0);
        if (size < 2)
        {
            return;
        }

        byte shape = input.Byte();
        uint type = (shape & 7) switch
        {
            0 or 1 => Block.RequestIn,
            2 or 3 => Block.RequestOut,
            4 => Block.RequestFlush,
            5 => Block.RequestGetId,
            6 => input.UInt32(),
            _ => 2,
        };
        ulong sector = (shape & 8) != 0 ? input.UInt64() : input.UInt16() % (_block.CapacitySectors + 4);
        int pieces = Math.Min((shape >> 4) & 3, size - 2);
        int first = input.Byte() % size;
        ulong at = VirtioGuest.DataStart;
        Span<byte> header = stackalloc byte[Block.HeaderSize];
        BinaryPrimitives.WriteUInt32LittleEndian(header, type);
        BinaryPrimitives.WriteUInt32LittleEndian(header[4..], 0);
        BinaryPrimitives.WriteUInt64LittleEndian(header[8..], sector);
        _memory.Write(at, header);
        bool deviceWrites = type is Block.RequestIn or Block.RequestGetId;
        int index = first;
        _guest.WriteDescriptor(0, index, at, Block.HeaderSize, VirtqDescriptor.FlagNext, (ushort)((index + 1) % size));
        at += Block.HeaderSize;
        for (int p = 0; p < pieces; p++)
        {
            // Whole sectors mostly; any length when the fuzzer says so (odd pieces add up to sectors, or not).
            ushort raw = input.UInt16();
            uint length = (raw & 0x8000) != 0 ? raw & 0x7fffu : (uint)(1 + (raw & 7)) * Block.SectorSize;
            length = (uint)Math.Min(length, VirtioGuest.MemorySize - at - 1);
            if (!deviceWrites)
            {
                var data = input.Bytes((int)Math.Min(length, 64));
                _memory.GetSpan(at, (int)length).Fill((byte)(raw >> 3));
                _memory.Write(at, data);
            }

            index = (index + 1) % size;
            _guest.WriteDescriptor(0, index, at, length, (ushort)(VirtqDescriptor.FlagNext | (deviceWrites ? VirtqDescriptor.FlagWrite : 0)), (ushort)((index + 1) % size));
            at += length;
        }

        index = (index + 1) % size;
        _memory.Write(at, (byte)0xee);
        _guest.WriteDescriptor(0, index, at, 1, VirtqDescriptor.FlagWrite, 0);
        _guest.OfferAndNotify(0, (ushort)first);
    }

    private void Check(int queue, ushort head, uint usedLength)
    {
        if (!_guest.IsChecked)
        {
            return;
        }

        if (!_guest.TryReadChain(queue, head, _buffers, out int firstWritable))
        {
            // A chain the device may read otherwise than this walk (an indirect table reaching into the data): it
            // may have written anywhere.
            MarkUnknown(0, _block.CapacitySectors);
            return;
        }

        long writable = VirtioGuest.LengthOf(_buffers, firstWritable, _buffers.Count);

        InvariantViolation.Check(usedLength <= writable, $"used length {usedLength} exceeds the chain's {writable} writable bytes");
        bool hasStatus = firstWritable < _buffers.Count && _buffers[^1].Length > 0;
        if (!hasStatus)
        {
            InvariantViolation.Check(usedLength == 0, $"a chain without a status byte came back with used length {usedLength}");
            return;
        }

        InvariantViolation.Check(usedLength >= 1, "a well-formed chain with a status byte came back without a status");
        if (!VirtioGuest.AreDisjoint(_buffers) || _guest.SharesBytesWithOtherChains(_buffers))
        {
            // The status (or read data) may have landed on the header or the data of a write: what reached the disk
            // is unknown.
            MarkUnknown(0, _block.CapacitySectors);
            return;
        }

        GuestBuffer last = _buffers[^1];
        byte status = _memory.Read<byte>(last.Address + last.Length - 1);
        InvariantViolation.Check(status is Block.StatusOk or Block.StatusIoError or Block.StatusUnsupported, $"status byte {status} is not OK, IOERR or UNSUPP");
        long readable = VirtioGuest.LengthOf(_buffers, 0, firstWritable);

        if (readable < Block.HeaderSize)
        {
            InvariantViolation.Check(status == Block.StatusIoError && usedLength == 1, $"a request without a whole header got status {status}, used length {usedLength}");
            return;
        }

        Span<byte> header = stackalloc byte[Block.HeaderSize];
        Gather(0, firstWritable, 0, header);
        uint type = BinaryPrimitives.ReadUInt32LittleEndian(header);
        ulong sector = BinaryPrimitives.ReadUInt64LittleEndian(header[8..]);
        long dataIn = writable - 1, dataOut = readable - Block.HeaderSize;
        // §5.2.6: what each request deserves. The disk is a file HyperNest opened itself, so a request it can serve
        // must succeed: IOERR for one in range would be the device failing, not the guest.
        byte expected = type switch
        {
            Block.RequestIn => IsInRange(sector, dataIn) ? Block.StatusOk : Block.StatusIoError,
            Block.RequestOut => !_block.IsReadOnly && IsInRange(sector, dataOut) ? Block.StatusOk : Block.StatusIoError,
            Block.RequestFlush => Block.StatusOk,
            Block.RequestGetId => dataIn > 0 ? Block.StatusOk : Block.StatusIoError,
            _ => Block.StatusUnsupported,
        };
        InvariantViolation.Check(status == expected, $"a request of type {type} ({dataOut} bytes out, {dataIn} in, sector {sector}, {(_block.IsReadOnly ? "read-only" : "writable")} {_block.CapacitySectors}-sector disk) got status {status}, not {expected}");
        long returned = status != Block.StatusOk ? 0 : type switch
        {
            Block.RequestIn => dataIn,
            Block.RequestGetId => Math.Min(dataIn, Block.IdBytes),
            _ => 0,
        };
        InvariantViolation.Check(usedLength == returned + 1, $"a request of type {type} with status {status} came back with used length {usedLength}, not {returned + 1}");
        if (status != Block.StatusOk)
        {
            return;
        }

        switch (type)
        {
            case Block.RequestIn:
                CheckRead((long)sector * Block.SectorSize, (int)dataIn, firstWritable);
                break;
            case Block.RequestOut:
                Gather(0, firstWritable, Block.HeaderSize, _model.AsSpan((int)sector * Block.SectorSize, (int)dataOut));
                break;
        }
    }

    private bool IsInRange(ulong sector, long length) =>
        length > 0 && length % Block.SectorSize == 0 && sector <= _block.CapacitySectors && (ulong)(length / Block.SectorSize) <= _block.CapacitySectors - sector;

    private void CheckRead(long offset, int length, int firstWritable)
    {
        if (_scratch.Length < 2 * length)
        {
            _scratch = new byte[2 * length];
        }

        Span<byte> got = _scratch.AsSpan(0, length);
        Gather(firstWritable, _buffers.Count, 0, got);
        for (int sector = 0; sector < length / Block.SectorSize; sector++)
        {
            int at = sector * Block.SectorSize;
            long disk = offset + at;
            if (!_unknown[disk / Block.SectorSize] && !got.Slice(at, Block.SectorSize).SequenceEqual(_model.AsSpan((int)disk, Block.SectorSize)))
            {
                throw new InvariantViolation($"a read of sector {disk / Block.SectorSize} returned bytes the disk does not hold");
            }
        }
    }

    private void MarkUnknown(ulong sector, ulong count)
    {
        for (ulong s = sector; s < sector + count && s < (ulong)_unknown.Length; s++)
        {
            _unknown[s] = true;
        }
    }

    private void Gather(int from, int to, long skip, Span<byte> destination) => _guest.Gather(_buffers, from, to, skip, destination);
}
