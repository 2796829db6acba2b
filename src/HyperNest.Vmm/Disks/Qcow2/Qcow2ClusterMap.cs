using System.Buffers.Binary;
using HyperNest.Vmm.Devices.Virtio;
using Microsoft.Win32.SafeHandles;

namespace HyperNest.Vmm.Disks.Qcow2;

/// <summary>
/// The guest-to-host cluster mapping (qcow2.txt "Cluster mapping"): the L1 table, held whole (at most 32 MiB), and
/// L2 tables through a <see cref="Qcow2TableCache"/>. Every entry is checked once, when the image is opened
/// (<see cref="Check"/>); entries written later are HyperNest's own.
/// </summary>
internal sealed class Qcow2ClusterMap
{
    /// <summary>Bits 9-55 of an L1 or L2 entry: a host offset.</summary>
    public const ulong OffsetMask = 0x00FF_FFFF_FFFF_FE00;

    /// <summary>Bit 63: the table or cluster has refcount exactly 1 (may be written in place).</summary>
    public const ulong Copied = 1UL << 63;

    /// <summary>Bit 62 of an L2 entry: a compressed cluster.</summary>
    public const ulong Compressed = 1UL << 62;

    /// <summary>Bit 0 of an L2 entry (version 3): the cluster reads as zeros.</summary>
    public const ulong ReadsAsZero = 1;

    private readonly SafeFileHandle _file;
    private readonly string _path;
    private readonly Qcow2Header _header;
    private readonly ulong[] _l1;
    private readonly Qcow2TableCache _l2;
    private int _dirtyFrom = int.MaxValue, _dirtyTo = -1;

    public Qcow2ClusterMap(SafeFileHandle file, string path, Qcow2Header header, Action flushAll)
    {
        _file = file;
        _path = path;
        _header = header;
        _l1 = new ulong[header.L1Size];
        var raw = new byte[header.L1Size * 8L];
        ImageFile.ReadFully(file, raw, header.L1TableOffset);
        for (int i = 0; i < _l1.Length; i++)
        {
            _l1[i] = BinaryPrimitives.ReadUInt64BigEndian(raw.AsSpan(i * 8));
        }

        _l2 = new Qcow2TableCache(file, header.ClusterSize, Qcow2TableCache.CapacityFor(header.ClusterSize), flushAll);
    }

    public bool IsL2Dirty => _l2.IsDirty;

    public bool IsL1Dirty => _dirtyTo >= 0;

    private int EntriesPerTable => _header.ClusterSize / 8;

    /// <summary>The L2 entry of guest cluster <paramref name="cluster"/>; 0 (unallocated) where no L2 table exists.</summary>
    public ulong Get(long cluster)
    {
        ulong table = _l1[cluster / EntriesPerTable] & OffsetMask;
        return table == 0 ? 0 : BinaryPrimitives.ReadUInt64BigEndian(_l2.Get((long)table)[(int)(cluster % EntriesPerTable * 8)..]);
    }

    /// <summary>
    /// Sets the L2 entry of guest cluster <paramref name="cluster"/>, first giving its range an L2 table from
    /// <paramref name="refcounts"/> if it has none. The change reaches the file on the next flush.
    /// </summary>
    public void Set(long cluster, ulong entry, Qcow2Refcounts refcounts)
    {
        int l1Index = (int)(cluster / EntriesPerTable);
        if ((_l1[l1Index] & OffsetMask) == 0)
        {
            long table = refcounts.Allocate(1);
            _l2.Create(table);
            _l1[l1Index] = (ulong)table | Copied;
            (_dirtyFrom, _dirtyTo) = (Math.Min(_dirtyFrom, l1Index), Math.Max(_dirtyTo, l1Index));
        }

        long offset = (long)(_l1[l1Index] & OffsetMask);
        BinaryPrimitives.WriteUInt64BigEndian(_l2.Get(offset)[(int)(cluster % EntriesPerTable * 8)..], entry);
        _l2.MarkDirty(offset);
    }

    /// <summary>Writes changed L2 tables (no fsync).</summary>
    public void WriteDirtyL2() => _l2.WriteDirty();

    /// <summary>Writes changed L1 entries (no fsync): only after the L2 tables they point at are on disk.</summary>
    public void WriteDirtyL1()
    {
        if (_dirtyTo < 0)
        {
            return;
        }

        var raw = new byte[(_dirtyTo - _dirtyFrom + 1) * 8];
        for (int i = _dirtyFrom; i <= _dirtyTo; i++)
        {
            BinaryPrimitives.WriteUInt64BigEndian(raw.AsSpan((i - _dirtyFrom) * 8), _l1[i]);
        }

        RandomAccess.Write(_file, raw, _header.L1TableOffset + (_dirtyFrom * 8L));
        (_dirtyFrom, _dirtyTo) = (int.MaxValue, -1);
    }

    /// <summary>Guest clusters whose L2 entry is not 0 (data, or reads as zeros): what the image itself holds.</summary>
    public IEnumerable<long> AllocatedClusters()
    {
        for (long l1Index = 0; l1Index < _l1.Length; l1Index++)
        {
            if ((_l1[l1Index] & OffsetMask) == 0)
            {
                continue;
            }

            for (long cluster = l1Index * EntriesPerTable; cluster < (l1Index + 1) * EntriesPerTable; cluster++)
            {
                if (Get(cluster) != 0)
                {
                    yield return cluster;
                }
            }
        }
    }

    /// <summary>
    /// Checks every L1 and L2 entry against the format's rules and the file: tables and data clusters aligned, inside
    /// the file, never the header cluster nor one of <paramref name="metadata"/> (the L1 and refcount tables'
    /// and refcount blocks' clusters, given when writing); no compressed clusters; and, for writing, every
    /// allocated table and cluster unshared (bit 63) and named by one entry only, since HyperNest does not copy shared
    /// clusters on write and trusts bit 63 to write in place.
    /// </summary>
    public void Check(long fileLength, bool forWriting, IReadOnlySet<long> metadata)
    {
        var named = forWriting ? new ulong[((fileLength / _header.ClusterSize) + 63) / 64] : null;
        long clusterSize = _header.ClusterSize;
        var tables = new HashSet<long>();
        for (int i = 0; i < _l1.Length; i++)
        {
            ulong entry = _l1[i];
            long table = (long)(entry & OffsetMask);
            Require((entry & ~(OffsetMask | Copied)) == 0, $"L1 entry {i} (0x{entry:x}) has reserved bits set");
            if (table == 0)
            {
                continue;
            }

            RequireCluster(table, fileLength, metadata, $"L1 entry {i}");
            Require(tables.Add(table), $"L1 entries share the L2 table at offset {table}");
            RequireUnshared(entry, forWriting, $"the L2 table at offset {table}");
        }

        var table2 = new byte[clusterSize];
        foreach (long table in tables)
        {
            ImageFile.ReadFully(_file, table2, table);
            for (int j = 0; j < EntriesPerTable; j++)
            {
                CheckL2Entry(BinaryPrimitives.ReadUInt64BigEndian(table2.AsSpan(j * 8)), table, fileLength, metadata, tables, named);
            }
        }
    }

    /// <summary>
    /// Checks one L2 entry of the table at <paramref name="table"/>. <paramref name="named"/> holds, for writing, one
    /// bit per host cluster of the file, set once an entry names it; it is null for reading, where sharing is allowed.
    /// </summary>
    private void CheckL2Entry(ulong entry, long table, long fileLength, IReadOnlySet<long> metadata, HashSet<long> tables, ulong[]? named)
    {
        if ((entry & Compressed) != 0)
        {
            throw new DiskException(_path, "holds compressed clusters, which HyperNest does not support; decompress it with 'qemu-img convert -O qcow2'");
        }

        ulong allowed = OffsetMask | Copied | (_header.Version >= 3 ? ReadsAsZero : 0);
        Require((entry & ~allowed) == 0, $"an entry of the L2 table at offset {table} (0x{entry:x}) has reserved bits set");
        long data = (long)(entry & OffsetMask);
        if (data == 0)
        {
            return;
        }

        RequireCluster(data, fileLength, metadata, $"a data cluster of the L2 table at offset {table}");
        Require(!tables.Contains(data), $"a data cluster is also the L2 table at offset {data}");
        if (named is null)
        {
            return;
        }

        RequireUnshared(entry, forWriting: true, $"the data cluster at offset {data}");
        long index = data / _header.ClusterSize;
        ulong bit = 1UL << (int)(index % 64);
        Require((named[index / 64] & bit) == 0, $"two L2 entries name the data cluster at offset {data}, both as unshared (bit 63)");
        named[index / 64] |= bit;
    }

    private void RequireCluster(long offset, long fileLength, IReadOnlySet<long> metadata, string what)
    {
        long clusterSize = _header.ClusterSize;
        Require(offset % clusterSize == 0 && offset >= clusterSize && offset < fileLength, $"{what} points at offset {offset}, not a cluster inside the file");
        Require(!metadata.Contains(offset), $"{what} points at offset {offset}, inside the image's own metadata");
    }

    private void RequireUnshared(ulong entry, bool forWriting, string what)
    {
        if (forWriting && (entry & Copied) == 0)
        {
            throw new DiskException(_path, $"shares {what} with an internal snapshot or is inconsistent (qcow2 refcount above 1); HyperNest writes only images without shared clusters (open it read-only, or check it with 'qemu-img check')");
        }
    }

    private void Require(bool condition, string problem)
    {
        if (!condition)
        {
            throw Qcow2Header.Corrupt(_path, problem);
        }
    }
}
