using Microsoft.Win32.SafeHandles;

namespace HyperNest.Vmm.Disks.Qcow2;

/// <summary>
/// One-cluster metadata tables (L2 tables or refcount blocks) held in memory, keyed by their host offset, up to a
/// fixed number; changed tables stay dirty until <see cref="WriteDirty"/>. A dirty table is never dropped on its own:
/// when room is needed and the least recently used table is dirty, the image's whole metadata is flushed first
/// (<c>flushAll</c>), so tables reach the file only in the order the image's flush sets. Lookups do not allocate.
/// </summary>
internal sealed class Qcow2TableCache
{
    private readonly SafeFileHandle _file;
    private readonly int _clusterSize;
    private readonly Action _flushAll;
    private readonly byte[][] _tables;
    private readonly long[] _offsets;
    private readonly long[] _lastUse;
    private readonly bool[] _dirty;
    private readonly Dictionary<long, int> _slots;
    private long _clock;
    private int _used;

    public Qcow2TableCache(SafeFileHandle file, int clusterSize, int capacity, Action flushAll)
    {
        _file = file;
        _clusterSize = clusterSize;
        _flushAll = flushAll;
        _tables = new byte[capacity][];
        _offsets = new long[capacity];
        _lastUse = new long[capacity];
        _dirty = new bool[capacity];
        _slots = new Dictionary<long, int>(capacity);
    }

    /// <summary>Whether any table has changes not yet written.</summary>
    public bool IsDirty { get; private set; }

    /// <summary>
    /// How many tables a cache holds: about 4 MiB of them, at least 4 and at most 1024 (with 64 KiB clusters, 64
    /// L2 tables map 32 GiB of disk).
    /// </summary>
    public static int CapacityFor(int clusterSize) => Math.Clamp((4 << 20) / clusterSize, 4, 1024);

    /// <summary>The table at <paramref name="offset"/>, read from the file if not held. Valid until the next call.</summary>
    public Span<byte> Get(long offset)
    {
        if (_slots.TryGetValue(offset, out int slot))
        {
            _lastUse[slot] = ++_clock;
            return _tables[slot];
        }

        slot = Claim(offset);
        ImageFile.ReadFully(_file, _tables[slot], offset);
        return _tables[slot];
    }

    /// <summary>A table just allocated at <paramref name="offset"/>: all zeros, dirty, not read from the file.</summary>
    public Span<byte> Create(long offset)
    {
        if (!_slots.TryGetValue(offset, out int slot))
        {
            slot = Claim(offset);
        }

        _tables[slot].AsSpan().Clear();
        MarkDirty(slot);
        return _tables[slot];
    }

    /// <summary>Records that the table at <paramref name="offset"/> (held: just returned by Get) has changed.</summary>
    public void MarkDirty(long offset) => MarkDirty(_slots[offset]);

    /// <summary>Writes every dirty table to its place in the file (no fsync: the caller orders and syncs).</summary>
    public void WriteDirty()
    {
        for (int slot = 0; slot < _used; slot++)
        {
            if (_dirty[slot])
            {
                RandomAccess.Write(_file, _tables[slot], _offsets[slot]);
                _dirty[slot] = false;
            }
        }

        IsDirty = false;
    }

    private void MarkDirty(int slot)
    {
        _dirty[slot] = true;
        IsDirty = true;
    }

    private int Claim(long offset)
    {
        int slot;
        if (_used < _tables.Length)
        {
            slot = _used++;
            _tables[slot] = new byte[_clusterSize];
        }
        else
        {
            slot = LeastRecentlyUsed();
            if (_dirty[slot])
            {
                _flushAll();
            }

            _slots.Remove(_offsets[slot]);
        }

        _offsets[slot] = offset;
        _dirty[slot] = false;
        _lastUse[slot] = ++_clock;
        _slots[offset] = slot;
        return slot;
    }

    private int LeastRecentlyUsed()
    {
        int oldest = 0;
        for (int slot = 1; slot < _used; slot++)
        {
            if (_lastUse[slot] < _lastUse[oldest])
            {
                oldest = slot;
            }
        }

        return oldest;
    }
}
