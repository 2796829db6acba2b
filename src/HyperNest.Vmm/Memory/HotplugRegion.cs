using System.Numerics;
using HyperNest.Kvm;

namespace HyperNest.Vmm.Memory;

/// <summary>
/// The guest-physical region a virtio-mem device manages (virtio 1.2 §5.15): memory beyond the boot RAM, in
/// <see cref="BlockSize"/> blocks that are plugged or unplugged at runtime. One lazily backed host mapping covers it
/// (MAP_NORESERVE: an unplugged block costs nothing) and is its own KVM memory slot. A bitmap says which blocks are
/// plugged: only those are guest RAM to devices (<see cref="GuestMemory"/>). Unplugging returns a block's host memory
/// (madvise DONTNEED), so a block reads as zero when plugged again.
/// <para>
/// The guest's vCPUs reach the whole mapping through the slot, unplugged blocks included; the driver promises not to
/// touch those (§5.15.6), and a guest that breaks the promise costs the host at most the region's size, as boot RAM
/// it touches does. Threads: one writer at a time (the device, under its transport's lock) and any number of readers
/// (devices checking guest addresses); each bitmap word is read and written atomically.
/// </para>
/// </summary>
public sealed unsafe class HotplugRegion : IDisposable
{
    /// <summary>
    /// block_size (§5.15.4): 2 MiB, the pageblock size of x86-64 Linux and so the smallest unit its virtio-mem driver
    /// plugs, and the size of a transparent huge page, so a plugged block can be backed by one.
    /// </summary>
    public const ulong BlockSize = 2 * MemoryLayout.MiB;

    private const int BitsPerWord = 64;

    private readonly AnonymousMemory _backing;
    private readonly ulong[] _plugged;
    private long _pluggedBlocks;

    /// <summary>
    /// A region of <paramref name="size"/> bytes (whole blocks) at <paramref name="guestPhysicalAddress"/> (a
    /// multiple of <see cref="MemoryLayout.HotplugAlignment"/>), every block unplugged. Reserves address space only.
    /// </summary>
    public HotplugRegion(ulong guestPhysicalAddress, ulong size)
        : this(guestPhysicalAddress, new AnonymousMemory(CheckedSize(size)))
    {
    }

    /// <summary>A region over <paramref name="backing"/> (its length is the size; disposed with the region), every block unplugged.</summary>
    internal HotplugRegion(ulong guestPhysicalAddress, AnonymousMemory backing)
    {
        ulong size = backing.Length;
        if (size % BlockSize != 0 || guestPhysicalAddress % MemoryLayout.HotplugAlignment != 0 || guestPhysicalAddress > ulong.MaxValue - size)
        {
            backing.Dispose();
            _ = CheckedSize(size);
            throw new ArgumentOutOfRangeException(nameof(guestPhysicalAddress), guestPhysicalAddress, "a hot-pluggable region starts at a 128 MiB boundary");
        }

        GuestPhysicalAddress = guestPhysicalAddress;
        Size = size;
        BlockCount = size / BlockSize;
        _plugged = new ulong[(BlockCount + BitsPerWord - 1) / BitsPerWord];
        _backing = backing;
    }

    private static ulong CheckedSize(ulong size) => size != 0 && size % BlockSize == 0
        ? size
        : throw new ArgumentOutOfRangeException(nameof(size), size, "a hot-pluggable region is a non-zero number of 2 MiB blocks");

    /// <summary>Which blocks are plugged: bit n of word n / 64 for block n (what a saved state records).</summary>
    public ulong[] PluggedBitmap() => [.. _plugged];

    /// <summary>
    /// Marks exactly the blocks of <paramref name="bitmap"/> (<see cref="PluggedBitmap"/>'s shape) plugged, as a
    /// restore finds them; throws <see cref="InvalidDataException"/> for a bitmap of another region.
    /// </summary>
    public void RestorePlugged(IReadOnlyList<ulong> bitmap)
    {
        ulong spare = BlockCount % BitsPerWord == 0 ? 0 : ulong.MaxValue << (int)(BlockCount % BitsPerWord);
        if (bitmap.Count != _plugged.Length || (bitmap.Count > 0 && (bitmap[^1] & spare) != 0))
        {
            throw new InvalidDataException($"the plugged-block bitmap does not fit a region of {BlockCount} blocks");
        }

        long count = 0;
        for (int i = 0; i < _plugged.Length; i++)
        {
            Volatile.Write(ref _plugged[i], bitmap[i]);
            count += BitOperations.PopCount(bitmap[i]);
        }

        Volatile.Write(ref _pluggedBlocks, count);
    }

    /// <summary>The region as the host holds it, by offset from its first byte, plugged or not (a memory file's share).</summary>
    internal ReadOnlySpan<byte> HostView(ulong offset, int length)
    {
        if (length < 0 || offset > Size || (ulong)length > Size - offset)
        {
            throw new ArgumentOutOfRangeException(nameof(length), $"0x{offset:x}+0x{length:x} is not within the region");
        }

        return new ReadOnlySpan<byte>(_backing.Pointer + offset, length);
    }

    public ulong GuestPhysicalAddress { get; }

    /// <summary>The region's size in bytes (region_size, §5.15.4).</summary>
    public ulong Size { get; }

    public ulong End => GuestPhysicalAddress + Size;

    public ulong BlockCount { get; }

    /// <summary>How many blocks are plugged; times <see cref="BlockSize"/> it is plugged_size (§5.15.4).</summary>
    public ulong PluggedBlocks => (ulong)Volatile.Read(ref _pluggedBlocks);

    /// <summary>The host virtual address of the region's first byte, for KVM_SET_USER_MEMORY_REGION.</summary>
    public ulong HostAddress => _backing.Address;

    /// <summary>Whether [address, address + length) lies wholly in plugged blocks of this region.</summary>
    public bool IsPlugged(ulong address, ulong length)
    {
        if (address < GuestPhysicalAddress || address - GuestPhysicalAddress >= Size || length > Size - (address - GuestPhysicalAddress))
        {
            return false;
        }

        ulong offset = address - GuestPhysicalAddress;
        ulong first = offset / BlockSize;
        ulong last = (offset + Math.Max(length, 1) - 1) / BlockSize;
        return CountPlugged(first, last - first + 1) == last - first + 1;
    }

    /// <summary>A view of plugged memory; false unless the whole range is plugged blocks of this region.</summary>
    public bool TryGetSpan(ulong address, int length, out Span<byte> span)
    {
        if (length < 0 || !IsPlugged(address, (ulong)length))
        {
            span = default;
            return false;
        }

        span = new Span<byte>(_backing.Pointer + (address - GuestPhysicalAddress), length);
        return true;
    }

    /// <summary>How many of the <paramref name="count"/> blocks from <paramref name="firstBlock"/> are plugged.</summary>
    public ulong CountPlugged(ulong firstBlock, ulong count)
    {
        CheckBlocks(firstBlock, count);
        ulong plugged = 0;
        foreach ((int word, ulong mask) in new WordMasks(firstBlock, count))
        {
            plugged += (ulong)BitOperations.PopCount(Volatile.Read(ref _plugged[word]) & mask);
        }

        return plugged;
    }

    /// <summary>Marks blocks plugged: devices may reach them from now on. Their content is whatever they held.</summary>
    public void Plug(ulong firstBlock, ulong count)
    {
        CheckBlocks(firstBlock, count);
        foreach ((int word, ulong mask) in new WordMasks(firstBlock, count))
        {
            ulong before = Interlocked.Or(ref _plugged[word], mask);
            Interlocked.Add(ref _pluggedBlocks, BitOperations.PopCount(mask & ~before));
        }
    }

    /// <summary>
    /// Returns the blocks' host memory, then marks them unplugged. Throws <see cref="KvmException"/> if the host
    /// refuses the discard; the blocks then stay plugged.
    /// </summary>
    public void Unplug(ulong firstBlock, ulong count)
    {
        CheckBlocks(firstBlock, count);
        _backing.Discard(firstBlock * BlockSize, count * BlockSize);
        foreach ((int word, ulong mask) in new WordMasks(firstBlock, count))
        {
            ulong before = Interlocked.And(ref _plugged[word], ~mask);
            Interlocked.Add(ref _pluggedBlocks, -BitOperations.PopCount(mask & before));
        }
    }

    /// <summary>
    /// Returns plugged memory's host pages (a balloon's inflated or reported free pages in this region); they stay
    /// plugged and read as zero. The caller has checked the range with <see cref="IsPlugged"/>.
    /// </summary>
    public void Discard(ulong address, ulong length) => _backing.Discard(address - GuestPhysicalAddress, length);

    /// <summary>Unplugs every block and returns all of the region's host memory, whatever the guest wrote to it.</summary>
    public void UnplugAll() => Unplug(0, BlockCount);

    public void Dispose() => _backing.Dispose();

    private void CheckBlocks(ulong firstBlock, ulong count)
    {
        if (firstBlock > BlockCount || count > BlockCount - firstBlock)
        {
            throw new ArgumentOutOfRangeException(nameof(count), $"blocks {firstBlock}+{count} are not within the region's {BlockCount}");
        }
    }

    /// <summary>The bitmap words a run of blocks touches, each with the mask of the run's bits in it.</summary>
    private ref struct WordMasks(ulong firstBlock, ulong count)
    {
        private ulong _block = firstBlock;
        private readonly ulong _end = firstBlock + count;

        public (int Word, ulong Mask) Current { get; private set; }

        public readonly WordMasks GetEnumerator() => this;

        public bool MoveNext()
        {
            if (_block >= _end)
            {
                return false;
            }

            int bit = (int)(_block % BitsPerWord);
            ulong bits = Math.Min((ulong)(BitsPerWord - bit), _end - _block);
            ulong mask = bits == BitsPerWord ? ulong.MaxValue : ((1UL << (int)bits) - 1) << bit;
            Current = ((int)(_block / BitsPerWord), mask);
            _block += bits;
            return true;
        }
    }
}
