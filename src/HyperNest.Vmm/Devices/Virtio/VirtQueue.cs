using System.Numerics;
using System.Runtime.InteropServices;
using HyperNest.Vmm.Memory;

namespace HyperNest.Vmm.Devices.Virtio;

/// <summary>
/// The device side of a split virtqueue (virtio 1.2 §2.7) in guest RAM: a descriptor table, the available ring the
/// driver fills and the used ring the device fills. The guest is untrusted: ring addresses are checked once when the
/// queue is made ready, every descriptor is checked as a chain is walked, and the guest may rewrite anything at any
/// time, so each ring entry and descriptor is read exactly once. A chain that cannot be trusted fails alone (see
/// <see cref="DescriptorChain.Error"/>); a ring that cannot be trusted leaves the queue <see cref="IsBroken"/>.
/// Not thread-safe: <see cref="MmioTransport"/> serialises all access.
/// </summary>
public sealed class VirtQueue
{
    /// <summary>Largest split-queue size (§2.7: "Queue Size ... maximum 32768").</summary>
    public const ushort MaxQueueSize = 32768;

    /// <summary>VIRTQ_AVAIL_F_NO_INTERRUPT (§2.7.6).</summary>
    private const ushort AvailFlagNoInterrupt = 1;

    // §2.7, "Virtqueue Part Alignment".
    private const ulong DescriptorTableAlignment = 16, AvailableRingAlignment = 2, UsedRingAlignment = 4;

    // Ring offsets (§2.7.6, §2.7.8): flags, idx, then the ring, then the event field.
    private const ulong RingFlagsOffset = 0, RingIndexOffset = 2, RingEntriesOffset = 4;

    private readonly GuestMemory _memory;

    /// <summary>The buffers of the chain being popped; a chain never has more than <see cref="MaxSize"/>.</summary>
    private readonly GuestBuffer[] _buffers;

    private ushort _nextAvailable;
    private ushort _nextUsed;
    private ushort _usedAtLastInterruptCheck;
    private bool _eventIndex;
    private bool _indirectDescriptors;

    public VirtQueue(GuestMemory memory, ushort maxSize)
    {
        ArgumentNullException.ThrowIfNull(memory);
        if (maxSize == 0 || maxSize > MaxQueueSize || !BitOperations.IsPow2(maxSize))
        {
            throw new ArgumentOutOfRangeException(nameof(maxSize), maxSize, "a split virtqueue's size is a power of two up to 32768");
        }

        _memory = memory;
        _buffers = new GuestBuffer[maxSize];
        MaxSize = maxSize;
        Size = maxSize;
    }

    public ushort MaxSize { get; }

    /// <summary>The size the driver chose (QueueNum); a power of two no larger than <see cref="MaxSize"/>.</summary>
    public ushort Size { get; internal set; }

    public ulong DescriptorTableAddress { get; internal set; }

    /// <summary>The available ring ("driver area").</summary>
    public ulong DriverAreaAddress { get; internal set; }

    /// <summary>The used ring ("device area").</summary>
    public ulong DeviceAreaAddress { get; internal set; }

    public bool IsReady { get; private set; }

    /// <summary>The driver broke the ring itself; nothing more is popped until the device is reset.</summary>
    public bool IsBroken { get; private set; }

    /// <summary>
    /// Pops the next available chain. False when there is none, or the queue is not ready or broken. A chain with
    /// an <see cref="DescriptorChain.Error"/> must still be returned with <see cref="AddUsed"/> (as failed).
    /// </summary>
    public bool TryPop(out DescriptorChain chain)
    {
        chain = default;
        if (!IsReady || IsBroken)
        {
            return false;
        }

        ushort available = ReadAvailableIndex();
        if (available == _nextAvailable && _eventIndex)
        {
            // Going idle: ask for a notification at the next buffer, then look again, since the driver may have
            // added one after the read above without notifying because avail_event was still old (§2.7.10).
            WriteUsedRingEvent(_nextAvailable);
            Interlocked.MemoryBarrier();
            available = ReadAvailableIndex();
        }

        if (available == _nextAvailable)
        {
            return false;
        }

        // More buffers than the ring holds, or a head outside the table: there is no chain that could be failed.
        if ((ushort)(available - _nextAvailable) > Size)
        {
            IsBroken = true;
            return false;
        }

        ushort head = _memory.Read<ushort>(AvailableRingEntry(_nextAvailable));
        if (head >= Size)
        {
            IsBroken = true;
            return false;
        }

        _nextAvailable++;
        chain = Walk(head);
        return true;
    }

    /// <summary>Returns a chain to the driver with the number of bytes written into its writable buffers.</summary>
    public void AddUsed(ushort headIndex, uint writtenLength)
    {
        StageUsed(headIndex, writtenLength);
        PublishUsed();
    }

    /// <summary>
    /// Writes a used element without publishing it: the driver sees it, with every element staged before it, at the
    /// next <see cref="PublishUsed"/>. For a request that spans several chains (a virtio-net frame in mergeable
    /// receive buffers, §5.1.6.4), which the driver must never see in part.
    /// </summary>
    public void StageUsed(ushort headIndex, uint writtenLength)
    {
        if (!IsReady)
        {
            return;
        }

        ulong slot = DeviceAreaAddress + RingEntriesOffset + (ulong)VirtqUsedElement.Size * (ulong)(_nextUsed & (Size - 1));
        _memory.Write(slot, new VirtqUsedElement(headIndex, writtenLength));
        _nextUsed++;
    }

    /// <summary>Makes the staged used elements visible to the driver.</summary>
    public void PublishUsed()
    {
        if (!IsReady)
        {
            return;
        }

        // Release: the elements are visible before the index that publishes them (§2.7.8.2).
        Volatile.Write(ref RingIndex(DeviceAreaAddress), _nextUsed);
    }

    /// <summary>
    /// Gives back the last <paramref name="count"/> popped chains, untouched and not yet used, so the next
    /// <see cref="TryPop"/> returns them again: a device that found too few buffers for a request waits for more
    /// instead of failing it. Each ring entry and descriptor is then read (and checked) afresh.
    /// </summary>
    public void UndoPop(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, Size);
        _nextAvailable -= (ushort)count;
    }

    /// <summary>The queue's state for a save (<see cref="VirtQueueState"/>); the queue is not changed.</summary>
    public VirtQueueState Save() => new()
    {
        Size = Size,
        DescriptorTableAddress = DescriptorTableAddress,
        DriverAreaAddress = DriverAreaAddress,
        DeviceAreaAddress = DeviceAreaAddress,
        Ready = IsReady,
        Broken = IsBroken,
        NextAvailable = _nextAvailable,
        NextUsed = _nextUsed,
        UsedAtLastInterruptCheck = _usedAtLastInterruptCheck,
        EventIndex = _eventIndex,
        IndirectDescriptors = _indirectDescriptors,
    };

    /// <summary>
    /// Puts the queue where <paramref name="state"/> says, checked as the driver's own QueueReady would be: a size this
    /// queue can have, and for a ready queue three rings that are aligned guest RAM. Guest RAM is not read.
    /// </summary>
    /// <exception cref="InvalidDataException">The state cannot be this queue's; the queue is left as it was.</exception>
    public void Restore(VirtQueueState state)
    {
        EnsureCanRestore(state);
        Size = state.Size;
        DescriptorTableAddress = state.DescriptorTableAddress;
        DriverAreaAddress = state.DriverAreaAddress;
        DeviceAreaAddress = state.DeviceAreaAddress;
        IsReady = state.Ready;
        IsBroken = state.Broken;
        _nextAvailable = state.NextAvailable;
        _nextUsed = state.NextUsed;
        _usedAtLastInterruptCheck = state.UsedAtLastInterruptCheck;
        _eventIndex = state.EventIndex;
        _indirectDescriptors = state.IndirectDescriptors;
    }

    /// <summary>The checks of <see cref="Restore"/>, alone: nothing changes.</summary>
    /// <exception cref="InvalidDataException">The state cannot be this queue's.</exception>
    internal void EnsureCanRestore(VirtQueueState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.Size == 0 || state.Size > MaxSize || !BitOperations.IsPow2(state.Size))
        {
            throw new InvalidDataException($"virtqueue state: size {state.Size} is not a power of two from 1 to {MaxSize}");
        }

        if (state.Ready && !RingsFit(state.Size, state.DescriptorTableAddress, state.DriverAreaAddress, state.DeviceAreaAddress))
        {
            throw new InvalidDataException(
                $"virtqueue state: the rings are not aligned guest RAM (descriptors 0x{state.DescriptorTableAddress:x}, driver area 0x{state.DriverAreaAddress:x}, device area 0x{state.DeviceAreaAddress:x})");
        }
    }

    internal void SetNegotiatedFeatures(ulong features)
    {
        _eventIndex = (features & VirtioFeatures.RingEventIndex) != 0;
        _indirectDescriptors = (features & VirtioFeatures.RingIndirectDescriptors) != 0;
    }

    /// <summary>QueueReady = 1: accepted only if the size is valid and the three rings are aligned guest RAM.</summary>
    internal bool TryMakeReady()
    {
        bool valid = Size != 0 && Size <= MaxSize && BitOperations.IsPow2(Size)
            && RingsFit(Size, DescriptorTableAddress, DriverAreaAddress, DeviceAreaAddress);
        if (valid)
        {
            _nextAvailable = _nextUsed = _usedAtLastInterruptCheck = 0;
            IsReady = true;
        }

        return valid;
    }

    internal void Disable() => IsReady = false;

    internal void MarkBroken() => IsBroken = true;

    internal void Reset()
    {
        IsReady = IsBroken = false;
        Size = MaxSize;
        DescriptorTableAddress = DriverAreaAddress = DeviceAreaAddress = 0;
        _nextAvailable = _nextUsed = _usedAtLastInterruptCheck = 0;
        _eventIndex = _indirectDescriptors = false;
    }

    /// <summary>
    /// Whether the used buffers added since the last call warrant an interrupt: the driver's used_event with
    /// VIRTIO_F_EVENT_IDX, else its VIRTQ_AVAIL_F_NO_INTERRUPT flag (§2.7.7.2).
    /// </summary>
    internal bool ShouldInterrupt()
    {
        if (!IsReady || _nextUsed == _usedAtLastInterruptCheck)
        {
            return false;
        }

        // The used idx store must be visible before the driver's suppression state is read, or an interrupt the
        // driver just asked for could be missed.
        Interlocked.MemoryBarrier();
        ushort previous = _usedAtLastInterruptCheck;
        _usedAtLastInterruptCheck = _nextUsed;
        if (_eventIndex)
        {
            ushort usedEvent = _memory.Read<ushort>(UsedEventAddress);
            return (ushort)(_nextUsed - usedEvent - 1) < (ushort)(_nextUsed - previous);
        }

        return (_memory.Read<ushort>(DriverAreaAddress + RingFlagsOffset) & AvailFlagNoInterrupt) == 0;
    }

    private DescriptorChain Walk(ushort head)
    {
        ChainError error = ChainError.None;
        ulong table = DescriptorTableAddress;
        uint tableSize = Size;
        uint index = head;
        int count = 0, firstWritable = -1;
        bool inIndirectTable = false;
        for (uint hops = 1; ; hops++)
        {
            // A chain visits each descriptor of its table at most once; one more step means it loops.
            if (hops > tableSize)
            {
                error = ChainError.TooLong;
                break;
            }

            VirtqDescriptor descriptor = _memory.Read<VirtqDescriptor>(table + ((ulong)index * VirtqDescriptor.Size));
            if (descriptor.Has(VirtqDescriptor.FlagIndirect))
            {
                if (inIndirectTable || hops != 1 || !IsUsableIndirectTable(descriptor))
                {
                    error = ChainError.IndirectTableMalformed;
                    break;
                }

                // §2.7.5.3.2: the device ignores the WRITE flag of the descriptor that points at the table.
                (table, tableSize, index, hops, inIndirectTable) = (descriptor.Address, descriptor.Length / VirtqDescriptor.Size, 0, 0, true);
                continue;
            }

            bool writable = descriptor.Has(VirtqDescriptor.FlagWrite);
            if (!writable && firstWritable >= 0)
            {
                error = ChainError.ReadableAfterWritable;
                break;
            }

            if (count == _buffers.Length)
            {
                error = ChainError.TooLong;
                break;
            }

            if (writable && firstWritable < 0)
            {
                firstWritable = count;
            }

            if (error == ChainError.None && (descriptor.Length > int.MaxValue || !_memory.IsValid(descriptor.Address, descriptor.Length)))
            {
                // Keep walking: the chain's shape may still be intact, and with it the way to fail the request.
                error = ChainError.BufferOutsideGuestMemory;
            }

            _buffers[count++] = new GuestBuffer(descriptor.Address, descriptor.Length);
            if (!descriptor.Has(VirtqDescriptor.FlagNext))
            {
                break;
            }

            index = descriptor.Next;
            if (index >= tableSize)
            {
                error = ChainError.DescriptorIndexOutOfRange;
                break;
            }
        }

        int readable = firstWritable < 0 ? count : firstWritable;
        return new DescriptorChain(_memory, head, _buffers.AsSpan(0, readable), _buffers.AsSpan(readable, count - readable), error);
    }

    /// <summary>§2.7.5.3.1: only when negotiated, never with NEXT, and a whole, non-empty table in guest RAM.</summary>
    /// <summary>The three rings of a queue of <paramref name="size"/> are aligned guest RAM (§2.7, "Virtqueue Part Alignment").</summary>
    private bool RingsFit(ulong size, ulong descriptorTable, ulong driverArea, ulong deviceArea) =>
        IsAlignedRam(descriptorTable, DescriptorTableAlignment, VirtqDescriptor.Size * size)
        && IsAlignedRam(driverArea, AvailableRingAlignment, RingEntriesOffset + (2 * size) + 2)
        && IsAlignedRam(deviceArea, UsedRingAlignment, RingEntriesOffset + (VirtqUsedElement.Size * size) + 2);

    private bool IsUsableIndirectTable(VirtqDescriptor descriptor) =>
        _indirectDescriptors
        && !descriptor.Has(VirtqDescriptor.FlagNext)
        && descriptor.Length != 0
        && descriptor.Length % VirtqDescriptor.Size == 0
        && descriptor.Length / VirtqDescriptor.Size <= MaxSize
        && _memory.IsValid(descriptor.Address, descriptor.Length);

    private bool IsAlignedRam(ulong address, ulong alignment, ulong length) =>
        address % alignment == 0 && _memory.IsValid(address, length);

    private ulong AvailableRingEntry(ushort counter) => DriverAreaAddress + RingEntriesOffset + (2UL * (ulong)(counter & (Size - 1)));

    /// <summary>used_event, after the available ring's entries (§2.7.6).</summary>
    private ulong UsedEventAddress => DriverAreaAddress + RingEntriesOffset + (2UL * Size);

    private ushort ReadAvailableIndex() => Volatile.Read(ref RingIndex(DriverAreaAddress));

    /// <summary>avail_event, after the used ring's entries (§2.7.8).</summary>
    private void WriteUsedRingEvent(ushort value) =>
        _memory.Write(DeviceAreaAddress + RingEntriesOffset + ((ulong)VirtqUsedElement.Size * Size), value);

    private ref ushort RingIndex(ulong ringAddress) =>
        ref MemoryMarshal.AsRef<ushort>(_memory.GetSpan(ringAddress + RingIndexOffset, sizeof(ushort)));
}
