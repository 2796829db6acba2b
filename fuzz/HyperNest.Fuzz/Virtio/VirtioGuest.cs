using System.Buffers.Binary;
using HyperNest.Vmm.Devices.Virtio;
using HyperNest.Vmm.Memory;

namespace HyperNest.Fuzz.Virtio;

/// <summary>A device-specific event between guest operations: a frame from the peer, a new balloon target.</summary>
public delegate void DeviceEvent(ref FuzzInput input);

/// <summary>
/// A hostile virtio-mmio driver (virtio 1.2 §4.2) whose every step the fuzzer chooses, in 1 MiB of guest memory:
///
///   0x10000 + 0x4000·q  queue q: descriptor table, +0x1000 available ring, +0x2000 used ring (sizes up to 256)
///   0x40000..0x80000    indirect descriptor tables (§2.7.5.3)
///   0x80000..0x100000   data buffers
///
/// The input first decides whether to bring the device up as a driver would (§3.1.1: features the fuzzer masks,
/// each queue at a size it picks), then is read as operations: raw register reads and writes (configuration space
/// included), data writes, descriptors (direct or in an indirect table), offering a chain head, notifying a queue,
/// and a device-specific event. After every operation the used rings are checked: a queue's used index moves by at
/// most the chains offered and not yet returned, and each used element names one of them (§2.7.8). Descriptors
/// point into the data region unless the fuzzer asks for a raw address; a raw address below the data region, a raw
/// indirect table, or a register write that moves or resets a queue stops the check for that device until the next
/// input (the guest may then legally scribble on its own used ring). No exception may escape the transport: that is the device contract
/// (<see cref="IVirtioDevice"/>), so any escape is a finding.
/// </summary>
public sealed partial class VirtioGuest
{
    public const ulong MemorySize = 0x100000;
    public const ulong QueueAreas = 0x10000, QueueAreaSize = 0x4000;
    public const ulong IndirectStart = 0x40000, DataStart = 0x80000;
    public const int MaxQueues = 8, MaxOperations = 512;

    private const ulong RegDeviceFeatures = 0x010, RegDeviceFeaturesSel = 0x014, RegDriverFeatures = 0x020;
    private const ulong RegDriverFeaturesSel = 0x024, RegQueueSel = 0x030, RegQueueNumMax = 0x034, RegQueueNum = 0x038;
    private const ulong RegQueueReady = 0x044, RegQueueNotify = 0x050, RegInterruptAck = 0x064, RegStatus = 0x070;
    private const ulong RegQueueDescLow = 0x080, RegQueueDriverLow = 0x090, RegQueueDeviceLow = 0x0a0;
    private const uint Acknowledge = 1, Driver = 2, DriverOk = 4, FeaturesOk = 8;

    private readonly GuestMemory _memory;
    private readonly MmioTransport _transport;
    private readonly int _queueCount;
    private readonly ushort[] _size = new ushort[MaxQueues];
    private readonly ushort[] _offered = new ushort[MaxQueues];
    private readonly ushort[] _used = new ushort[MaxQueues];
    private readonly List<ushort>[] _outstanding = Enumerable.Range(0, MaxQueues).Select(_ => new List<ushort>()).ToArray();
    private bool _unchecked;

    public VirtioGuest(IVirtioDevice device, GuestMemory memory)
    {
        _memory = memory;
        _transport = new MmioTransport(device, memory, new NoInterrupt());
        _queueCount = Math.Min(device.QueueCount, MaxQueues);
    }

    public MmioTransport Transport => _transport;

    /// <summary>What the driver accepted in its bring-up (offered features masked by the fuzzer); 0 without one.</summary>
    public ulong AcceptedFeatures { get; private set; }

    /// <summary>
    /// Whether the used rings are still checked: no raw descriptor address that may reach the rings and no register
    /// write that moves or resets a queue so far. A target's own request-level checks hold only while this is true.
    /// </summary>
    public bool IsChecked => !_unchecked;

    /// <summary>
    /// Called for every used element the ring check accepted (queue, chain head, used length), in ring order: where a
    /// target checks what the device did with that request. The chain's descriptors are still the ones the device
    /// walked (no operation runs between the device's turn and the check).
    /// </summary>
    public Action<int, ushort, uint>? Used { get; set; }

    [ThreadStatic]
    private static GuestMemory? s_memory;

    /// <summary>
    /// The 1 MiB of guest memory this thread's runs share, zeroed: mapping guest memory afresh for every input
    /// costs more than the run itself.
    /// </summary>
    public static GuestMemory FreshMemory()
    {
        // Discarded, not cleared: the pages the last input touched read as zero again (MADV_DONTNEED), without
        // writing the whole megabyte.
        s_memory ??= new GuestMemory(MemorySize);
        s_memory.Discard(0, MemorySize);
        return s_memory;
    }

    public static ulong DescriptorTable(int queue) => QueueAreas + (ulong)queue * QueueAreaSize;

    public static ulong AvailableRing(int queue) => DescriptorTable(queue) + 0x1000;

    public static ulong UsedRing(int queue) => DescriptorTable(queue) + 0x2000;

    /// <summary>Plays <paramref name="input"/> against the device; <paramref name="deviceEvent"/> serves operation 7.</summary>
    public void Run(ref FuzzInput input, DeviceEvent? deviceEvent = null)
    {
        if (input.Bool())
        {
            BringUp(ref input);
        }

        for (int i = 0; i < MaxOperations && !input.IsEmpty; i++)
        {
            switch (input.Byte() % 8)
            {
                case 0: RegisterWrite(ref input); break;
                case 1: RegisterRead(ref input); break;
                case 2: DataWrite(ref input); break;
                case 3: Descriptor(ref input, DescriptorTable(input.Byte() % MaxQueues), input.UInt16() % 256); break;
                case 4: Descriptor(ref input, IndirectStart, input.UInt16() % (int)((DataStart - IndirectStart) / VirtqDescriptor.Size)); break;
                case 5: Offer(input.Byte() % MaxQueues, input.UInt16()); break;
                case 6: Write32(RegQueueNotify, input.Byte() % (uint)(_queueCount + 1)); break;
                case 7: deviceEvent?.Invoke(ref input); break;
            }

            CheckUsedRings();
        }
    }

    /// <summary>§3.1.1: reset, ACKNOWLEDGE, DRIVER, features, FEATURES_OK, queues, DRIVER_OK.</summary>
    private void BringUp(ref FuzzInput input)
    {
        Write32(RegStatus, 0);
        Write32(RegStatus, Acknowledge | Driver);
        ulong accept = input.UInt64();
        for (uint half = 0; half < 2; half++)
        {
            Write32(RegDeviceFeaturesSel, half);
            uint offered = Read32(RegDeviceFeatures);
            Write32(RegDriverFeaturesSel, half);
            Write32(RegDriverFeatures, offered & (uint)(accept >> (int)(32 * half)));
        }

        AcceptedFeatures = _transport.OfferedFeatures & accept;
        Write32(RegStatus, Acknowledge | Driver | FeaturesOk);
        for (int q = 0; q < _queueCount; q++)
        {
            Write32(RegQueueSel, (uint)q);
            uint max = Read32(RegQueueNumMax);
            uint size = Math.Min(1u << (input.Byte() % 9), Math.Min(max, 256));
            if (size == 0)
            {
                continue;
            }

            _size[q] = (ushort)size;
            Write32(RegQueueNum, size);
            WriteAddress(RegQueueDescLow, DescriptorTable(q));
            WriteAddress(RegQueueDriverLow, AvailableRing(q));
            WriteAddress(RegQueueDeviceLow, UsedRing(q));
            Write32(RegQueueReady, 1);
        }

        Write32(RegStatus, Acknowledge | Driver | FeaturesOk | DriverOk);
    }

    private void RegisterWrite(ref FuzzInput input)
    {
        ulong offset = input.UInt16() % 0x200u;
        int width = 1 << (input.Byte() % 3);
        Span<byte> value = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(value, input.UInt32());
        // A queue moved, resized or reset, or the device reset: the guest may now own what were used rings.
        _unchecked |= offset is >= RegQueueSel and < 0x0b0 and not RegQueueNotify and not RegInterruptAck;
        _transport.Write(offset, value[..width]);
    }

    private void RegisterRead(ref FuzzInput input)
    {
        Span<byte> value = stackalloc byte[8];
        _transport.Read(input.UInt16() % 0x200u, value[..(1 << (input.Byte() % 4))]);
    }

    private void DataWrite(ref FuzzInput input)
    {
        ulong address = DataStart + input.UInt32() % (MemorySize - DataStart);
        var bytes = input.Bytes(input.Byte());
        _memory.Write(address, bytes[..(int)Math.Min((ulong)bytes.Length, MemorySize - address)]);
    }

    /// <summary>
    /// Writes descriptor <paramref name="index"/> of the table at <paramref name="table"/>: a buffer in the data region
    /// (or an indirect table in its region), or, when the fuzzer asks, any address at all.
    /// </summary>
    private void Descriptor(ref FuzzInput input, ulong table, int index)
    {
        byte how = input.Byte();
        ulong address = input.UInt64();
        uint length = input.UInt32();
        ushort flags = input.UInt16();
        ushort next = input.UInt16();
        if ((how & 1) != 0)
        {
            // A raw buffer at or above the data region can only be written there (or be refused: not RAM); one
            // below it, or a raw indirect table (whose descriptors data writes may fill), may reach the rings.
            _unchecked |= address < DataStart || (flags & VirtqDescriptor.FlagIndirect) != 0;
        }
        else if ((flags & VirtqDescriptor.FlagIndirect) != 0)
        {
            address = IndirectStart + address % (DataStart - IndirectStart) / VirtqDescriptor.Size * VirtqDescriptor.Size;
        }
        else
        {
            address = DataStart + address % (MemorySize - DataStart);
        }

        Span<byte> descriptor = stackalloc byte[VirtqDescriptor.Size];
        BinaryPrimitives.WriteUInt64LittleEndian(descriptor, address);
        BinaryPrimitives.WriteUInt32LittleEndian(descriptor[8..], length);
        BinaryPrimitives.WriteUInt16LittleEndian(descriptor[12..], flags);
        BinaryPrimitives.WriteUInt16LittleEndian(descriptor[14..], next);
        _memory.Write(table + (ulong)index * VirtqDescriptor.Size, descriptor);
    }

    /// <summary>Puts <paramref name="head"/> in queue <paramref name="queue"/>'s available ring and publishes it (§2.7.13).</summary>
    private void Offer(int queue, ushort head)
    {
        ushort size = Math.Max(_size[queue], (ushort)1);
        ulong ring = AvailableRing(queue);
        _memory.Write(ring + 4 + 2 * (ulong)(_offered[queue] % size), head);
        _offered[queue]++;
        _memory.Write(ring + 2, _offered[queue]);
        _outstanding[queue].Add(head);
    }

    /// <summary>
    /// Stops the ring checks for the rest of the run: the device is about to do something to guest memory the guest
    /// asked for that may change its own rings (a balloon given a ring's page).
    /// </summary>
    public void StopChecking() => _unchecked = true;

    /// <summary>The chain heads queue <paramref name="queue"/> has offered and the device has not yet used, oldest first.</summary>
    public IReadOnlyList<ushort> Outstanding(int queue) => _outstanding[queue];

    /// <summary>The size the bring-up gave queue <paramref name="queue"/>; 0 when it set none up.</summary>
    public ushort QueueSize(int queue) => _size[queue];

    /// <summary>Writes descriptor <paramref name="index"/> of queue <paramref name="queue"/>'s table as given.</summary>
    public void WriteDescriptor(int queue, int index, ulong address, uint length, ushort flags, ushort next)
    {
        Span<byte> descriptor = stackalloc byte[VirtqDescriptor.Size];
        BinaryPrimitives.WriteUInt64LittleEndian(descriptor, address);
        BinaryPrimitives.WriteUInt32LittleEndian(descriptor[8..], length);
        BinaryPrimitives.WriteUInt16LittleEndian(descriptor[12..], flags);
        BinaryPrimitives.WriteUInt16LittleEndian(descriptor[14..], next);
        _memory.Write(DescriptorTable(queue) + (ulong)index * VirtqDescriptor.Size, descriptor);
    }

    /// <summary>
    /// Makes chain <paramref name="head"/> available on <paramref name="queue"/> and, unless told not to (a driver
    /// adding several chains notifies once, after the last), notifies it.
    /// </summary>
    public void OfferAndNotify(int queue, ushort head, bool notify = true)
    {
        Offer(queue, head);
        if (notify)
        {
            Write32(RegQueueNotify, (uint)queue);
        }
    }

    private readonly List<(int Queue, ushort Head, uint Length)> _turn = [];
    private readonly List<(ulong Start, ulong End, int Element)> _turnWrites = [];
    private readonly List<GuestBuffer> _turnBuffers = [];
    private int _turnElement;

    private void CheckUsedRings()
    {
        if (_unchecked)
        {
            return;
        }

        _turn.Clear();
        CheckEachUsedRing();
        if (Used is null || _turn.Count == 0)
        {
            return;
        }

        _turnWrites.Clear();
        for (int e = 0; e < _turn.Count; e++)
        {
            if (!TryReadChain(_turn[e].Queue, _turn[e].Head, _turnBuffers, out int firstWritable))
            {
                // The device may have read it otherwise, and written anywhere in the data.
                _turnWrites.Add((DataStart, MemorySize, e));
                continue;
            }

            for (int i = firstWritable; i < _turnBuffers.Count; i++)
            {
                _turnWrites.Add((_turnBuffers[i].Address, _turnBuffers[i].Address + _turnBuffers[i].Length, e));
            }
        }

        for (_turnElement = 0; _turnElement < _turn.Count; _turnElement++)
        {
            Used(_turn[_turnElement].Queue, _turn[_turnElement].Head, _turn[_turnElement].Length);
        }
    }

    private void CheckEachUsedRing()
    {
        for (int q = 0; q < _queueCount; q++)
        {
            if (_size[q] == 0)
            {
                continue;
            }

            ulong ring = UsedRing(q);
            ushort index = _memory.Read<ushort>(ring + 2);
            int added = (ushort)(index - _used[q]);
            InvariantViolation.Check(added <= _outstanding[q].Count,
                $"queue {q}: the used index moved by {added} with {_outstanding[q].Count} chains outstanding");
            for (; _used[q] != index; _used[q]++)
            {
                uint id = _memory.Read<uint>(ring + 4 + 8 * (ulong)(_used[q] % _size[q]));
                InvariantViolation.Check(id <= ushort.MaxValue && _outstanding[q].Remove((ushort)id),
                    $"queue {q}: used element {_used[q]} names chain {id}, which was not available");
                _turn.Add((q, (ushort)id, _memory.Read<uint>(ring + 8 + 8 * (ulong)(_used[q] % _size[q]))));
            }
        }
    }

    private void Write32(ulong offset, uint value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, value);
        _transport.Write(offset, bytes);
    }

    private uint Read32(ulong offset)
    {
        Span<byte> bytes = stackalloc byte[4];
        _transport.Read(offset, bytes);
        return BinaryPrimitives.ReadUInt32LittleEndian(bytes);
    }

    private void WriteAddress(ulong lowRegister, ulong address)
    {
        Write32(lowRegister, (uint)address);
        Write32(lowRegister + 4, (uint)(address >> 32));
    }
}
