using System.Buffers.Binary;
using Microsoft.Win32.SafeHandles;

namespace HyperNest.Vmm.Disks.Qcow2;

/// <summary>
/// The refcounts of a writable qcow2 image (qcow2.txt "Host cluster management") and the cluster allocator. The
/// refcount table is held whole (at most 8 MiB); refcount blocks go through a <see cref="Qcow2TableCache"/>. New
/// clusters come from the end of the file, never from holes, so a cluster handed out was never part of the disk's
/// content; each gets refcount 1 before anything points at it (a crash leaks clusters, never shares one).
/// </summary>
internal sealed class Qcow2Refcounts
{
    /// <summary>How far past the end of the file the allocator looks for a free cluster before calling the image corrupt.</summary>
    private const long MaxUsedClustersPastEnd = 1 << 20;

    private const int HeaderRefcountTableOffset = 48;

    private readonly SafeFileHandle _file;
    private readonly string _path;
    private readonly int _clusterBits;
    private readonly int _order;
    private readonly long _blockEntries;
    private readonly Qcow2TableCache _blocks;
    private ulong[] _table;
    private long _tableOffset;
    private int _dirtyFrom = int.MaxValue, _dirtyTo = -1;
    private long _nextFree;

    public Qcow2Refcounts(SafeFileHandle file, string path, Qcow2Header header, long fileLength, Action flushAll)
    {
        _file = file;
        _path = path;
        _clusterBits = header.ClusterBits;
        _order = header.RefcountOrder;
        _blockEntries = (long)header.ClusterSize * 8 >> _order;
        _blocks = new Qcow2TableCache(file, header.ClusterSize, Qcow2TableCache.CapacityFor(header.ClusterSize), flushAll);
        _tableOffset = header.RefcountTableOffset;
        _table = ReadTable(header.RefcountTableClusters << _clusterBits, fileLength);
        _nextFree = (fileLength + ClusterSize - 1) >> _clusterBits;
    }

    /// <summary>Whether refcounts changed since the last <see cref="WriteDirty"/>.</summary>
    public bool IsDirty => _blocks.IsDirty || _dirtyTo >= 0;

    /// <summary>One past the last byte any allocated cluster may occupy: the end of the file as it will be.</summary>
    public long AllocatedEnd => _nextFree << _clusterBits;

    private int ClusterSize => 1 << _clusterBits;

    /// <summary>
    /// Adds the byte offsets of the clusters the refcount table and blocks occupy to <paramref name="clusters"/>, each
    /// once (<see cref="Qcow2Header.ClaimMetadata"/>).
    /// </summary>
    /// <exception cref="HyperNest.Vmm.Devices.Virtio.DiskException">Two of them share a cluster, or one is already in <paramref name="clusters"/>.</exception>
    public void AddMetadataClusters(HashSet<long> clusters)
    {
        for (long offset = _tableOffset; offset < _tableOffset + (_table.Length * 8L); offset += ClusterSize)
        {
            Qcow2Header.ClaimMetadata(clusters, offset, _path, "the refcount table");
        }

        for (int i = 0; i < _table.Length; i++)
        {
            if (_table[i] != 0)
            {
                Qcow2Header.ClaimMetadata(clusters, (long)_table[i], _path, $"the refcount block of refcount table entry {i}");
            }
        }
    }

    /// <summary>The refcount of host cluster <paramref name="cluster"/> (0 where no refcount block covers it).</summary>
    public ulong Get(long cluster)
    {
        long index = cluster / _blockEntries;
        if (index >= _table.Length || _table[index] == 0)
        {
            return 0;
        }

        return ReadEntry(_blocks.Get((long)_table[index]), cluster % _blockEntries);
    }

    /// <summary>Allocates <paramref name="count"/> contiguous clusters with refcount 1; returns the first's byte offset.</summary>
    public long Allocate(int count)
    {
        long first = TakeFree(count);
        for (long cluster = first; cluster < first + count; cluster++)
        {
            Set(cluster, 1);
        }

        return first << _clusterBits;
    }

    /// <summary>
    /// Gives host cluster <paramref name="cluster"/> (a cluster index) refcount 0: nothing may point at it any more.
    /// The allocator still takes new clusters from the end of the file only, so a freed cluster is a hole until
    /// <c>qemu-img</c> reuses it.
    /// </summary>
    public void Free(long cluster) => Set(cluster, 0);

    /// <summary>Writes changed refcount blocks, then (after an fsync) the refcount table entries that point at new ones.</summary>
    public void WriteDirty()
    {
        _blocks.WriteDirty();
        if (_dirtyTo < 0)
        {
            return;
        }

        RandomAccess.FlushToDisk(_file);
        WriteTableRange(_dirtyFrom, _dirtyTo + 1);
        (_dirtyFrom, _dirtyTo) = (int.MaxValue, -1);
    }

    private void Set(long cluster, ulong value)
    {
        long index = cluster / _blockEntries;
        if (index >= _table.Length)
        {
            GrowTable(index);
        }

        if (_table[index] == 0)
        {
            AddBlock((int)index);
        }

        long blockOffset = (long)_table[index];
        WriteEntry(_blocks.Get(blockOffset), cluster % _blockEntries, value);
        _blocks.MarkDirty(blockOffset);
    }

    /// <summary>A new, empty refcount block for table entry <paramref name="index"/>, itself given refcount 1.</summary>
    private void AddBlock(int index)
    {
        long block = TakeFree(1);
        _table[index] = (ulong)(block << _clusterBits);
        (_dirtyFrom, _dirtyTo) = (Math.Min(_dirtyFrom, index), Math.Max(_dirtyTo, index));
        _blocks.Create(block << _clusterBits);
        Set(block, 1);
    }

    /// <summary>
    /// Moves the refcount table to a larger place at the end of the file so it covers refcount block
    /// <paramref name="index"/>: the new table is written and synced before the header points at it, and the old
    /// table's clusters are freed only after.
    /// </summary>
    private void GrowTable(long index)
    {
        long entriesPerCluster = ClusterSize / 8;
        long entries = Math.Max(index + 1, _table.Length * 2L);
        long clusters;
        while (true)
        {
            clusters = (entries + entriesPerCluster - 1) / entriesPerCluster;
            long lastCovered = ((_nextFree + clusters + 4) / _blockEntries) + 1;
            if (lastCovered < entries)
            {
                break;
            }

            entries = lastCovered + 1;
        }

        if (clusters << _clusterBits > Qcow2Header.MaxRefcountTableBytes)
        {
            throw new IOException($"disk image '{_path}': its refcount table would grow past 8 MiB");
        }

        ulong[] old = _table;
        (long oldOffset, int oldClusters) = (_tableOffset, (int)((old.Length * 8L) >> _clusterBits));
        long first = TakeFree((int)clusters);
        _table = new ulong[clusters * entriesPerCluster];
        old.CopyTo(_table, 0);
        _tableOffset = first << _clusterBits;
        for (long cluster = first; cluster < first + clusters; cluster++)
        {
            Set(cluster, 1);
        }

        _blocks.WriteDirty();
        WriteTableRange(0, _table.Length);
        (_dirtyFrom, _dirtyTo) = (int.MaxValue, -1);
        RandomAccess.FlushToDisk(_file);
        Span<byte> fields = stackalloc byte[12];
        BinaryPrimitives.WriteInt64BigEndian(fields, _tableOffset);
        BinaryPrimitives.WriteInt32BigEndian(fields[8..], (int)clusters);
        RandomAccess.Write(_file, fields, HeaderRefcountTableOffset);
        RandomAccess.FlushToDisk(_file);
        for (long cluster = oldOffset >> _clusterBits; cluster < (oldOffset >> _clusterBits) + oldClusters; cluster++)
        {
            Set(cluster, 0);
        }
    }

    /// <summary>The first of <paramref name="count"/> free clusters from the end of the file on, now taken.</summary>
    private long TakeFree(int count)
    {
        long first = _nextFree, limit = _nextFree + MaxUsedClustersPastEnd;
        for (long cluster = first; cluster < first + count; cluster++)
        {
            if (Get(cluster) != 0)
            {
                first = cluster + 1;
                if (first > limit)
                {
                    throw Qcow2Header.Corrupt(_path, "refcounts mark clusters far past the end of the file as used");
                }
            }
        }

        _nextFree = first + count;
        return first;
    }

    private ulong[] ReadTable(long bytes, long fileLength)
    {
        var raw = new byte[bytes];
        ImageFile.ReadFully(_file, raw, _tableOffset);
        var table = new ulong[bytes / 8];
        for (int i = 0; i < table.Length; i++)
        {
            ulong entry = BinaryPrimitives.ReadUInt64BigEndian(raw.AsSpan(i * 8));
            if (entry != 0 && (entry % (ulong)ClusterSize != 0 || entry < (ulong)ClusterSize || entry > (ulong)(fileLength - ClusterSize)))
            {
                throw Qcow2Header.Corrupt(_path, $"refcount table entry {i} (0x{entry:x}) is not a cluster inside the file");
            }

            table[i] = entry;
        }

        return table;
    }

    private void WriteTableRange(int from, int to)
    {
        var raw = new byte[(to - from) * 8];
        for (int i = from; i < to; i++)
        {
            BinaryPrimitives.WriteUInt64BigEndian(raw.AsSpan((i - from) * 8), _table[i]);
        }

        RandomAccess.Write(_file, raw, _tableOffset + (from * 8L));
    }

    /// <summary>Entry <paramref name="index"/> of a block: big-endian, or for widths under a byte, from bit 0 up.</summary>
    private ulong ReadEntry(ReadOnlySpan<byte> block, long index)
    {
        if (_order >= 3)
        {
            int width = 1 << (_order - 3);
            ReadOnlySpan<byte> bytes = block.Slice((int)(index * width), width);
            ulong value = 0;
            foreach (byte b in bytes)
            {
                value = (value << 8) | b;
            }

            return value;
        }

        int bits = 1 << _order, perByte = 8 >> _order;
        int shift = (int)(index % perByte) * bits;
        return (ulong)((block[(int)(index / perByte)] >> shift) & ((1 << bits) - 1));
    }

    private void WriteEntry(Span<byte> block, long index, ulong value)
    {
        if (_order >= 3)
        {
            int width = 1 << (_order - 3);
            Span<byte> bytes = block.Slice((int)(index * width), width);
            for (int i = width - 1; i >= 0; i--, value >>= 8)
            {
                bytes[i] = (byte)value;
            }

            return;
        }

        int bits = 1 << _order, perByte = 8 >> _order;
        int shift = (int)(index % perByte) * bits, mask = ((1 << bits) - 1) << shift;
        ref byte target = ref block[(int)(index / perByte)];
        target = (byte)((target & ~mask) | (((int)value << shift) & mask));
    }
}
