using HyperNest.Vmm.Memory;

namespace HyperNest.Vmm.Tests.Devices.Virtio;

/// <summary>
/// The driver side of a split virtqueue (virtio 1.2 §2.7), laid out in guest memory the way Linux would: it writes
/// descriptors and the available ring, and reads the used ring. Its raw writers let tests build hostile chains.
/// </summary>
internal sealed class SplitQueueDriver(GuestMemory memory, ushort size, ulong descriptorTable = 0x10000, ulong driverArea = 0x18000, ulong deviceArea = 0x1a000)
{
    public const ushort Next = 1, Write = 2, Indirect = 4;

    private ushort _nextDescriptor;

    public GuestMemory Memory => memory;

    public ushort Size => size;

    public ulong DescriptorTable => descriptorTable;

    public ulong DriverArea => driverArea;

    public ulong DeviceArea => deviceArea;

    public ushort AvailableIndex { get; private set; }

    public ushort AvailableFlags
    {
        set => memory.Write(driverArea, value);
    }

    public ushort UsedEvent
    {
        set => memory.Write(driverArea + 4 + (2UL * size), value);
    }

    public ushort UsedIndex => memory.Read<ushort>(deviceArea + 2);

    public ushort AvailableEvent => memory.Read<ushort>(deviceArea + 4 + (8UL * size));

    public static void WriteDescriptor(GuestMemory memory, ulong table, ushort index, ulong address, uint length, ushort flags, ushort next)
    {
        ulong at = table + (16UL * index);
        memory.Write(at, address);
        memory.Write(at + 8, length);
        memory.Write(at + 12, flags);
        memory.Write(at + 14, next);
    }

    /// <summary>Writes an indirect table whose entries chain 0 → 1 → ... in order.</summary>
    public static void WriteIndirectTable(GuestMemory memory, ulong table, params Segment[] segments) =>
        WriteChain(memory, table, 0, ushort.MaxValue, segments);

    public void WriteDescriptor(ushort index, ulong address, uint length, ushort flags, ushort next) =>
        WriteDescriptor(memory, descriptorTable, index, address, length, flags, next);

    /// <summary>Lays <paramref name="segments"/> out in free descriptors, chained, and makes the chain available.</summary>
    public ushort AddChain(params Segment[] segments)
    {
        ushort head = _nextDescriptor;
        WriteChain(memory, descriptorTable, head, size, segments);
        _nextDescriptor = (ushort)((head + segments.Length) % size);
        Publish(head);
        return head;
    }

    /// <summary>Makes a chain of one indirect descriptor pointing at <paramref name="table"/> available.</summary>
    public ushort AddIndirectChain(ulong table, params Segment[] segments)
    {
        WriteIndirectTable(memory, table, segments);
        ushort head = _nextDescriptor;
        WriteDescriptor(head, table, (uint)(16 * segments.Length), Indirect, 0);
        _nextDescriptor = (ushort)((head + 1) % size);
        Publish(head);
        return head;
    }

    public void Publish(ushort head)
    {
        memory.Write(driverArea + 4 + (2UL * (ushort)(AvailableIndex % size)), head);
        SetAvailableIndex((ushort)(AvailableIndex + 1));
    }

    public void SetAvailableIndex(ushort index)
    {
        AvailableIndex = index;
        memory.Write(driverArea + 2, index);
    }

    /// <summary>Notifies queue 0 through <paramref name="driver"/> and returns the used length the device gave <paramref name="head"/>.</summary>
    public uint Complete(MmioDriver driver, ushort head)
    {
        ushort before = UsedIndex;

        // As Linux does with VIRTIO_F_EVENT_IDX: interrupt me at the next used buffer.
        UsedEvent = before;
        driver.Notify(0);
        Assert.Equal((ushort)(before + 1), UsedIndex);
        (uint id, uint length) = Used(before);
        Assert.Equal(head, id);
        return length;
    }

    public (uint Id, uint Length) Used(int position)
    {
        ulong at = deviceArea + 4 + (8UL * (ulong)(position % size));
        return (memory.Read<uint>(at), memory.Read<uint>(at + 4));
    }

    private static void WriteChain(GuestMemory memory, ulong table, ushort first, ushort tableSize, Segment[] segments)
    {
        for (int i = 0; i < segments.Length; i++)
        {
            Segment segment = segments[i];
            ushort index = (ushort)((first + i) % tableSize);
            bool last = i == segments.Length - 1;
            ushort flags = (ushort)((segment.Writable ? Write : 0) | (last ? 0 : Next));
            WriteDescriptor(memory, table, index, segment.Address, segment.Length, flags, last ? (ushort)0 : (ushort)((index + 1) % tableSize));
        }
    }
}
