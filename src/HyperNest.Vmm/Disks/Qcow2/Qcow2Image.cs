using HyperNest.Kvm;
using HyperNest.Vmm.Devices.Virtio;
using Microsoft.Win32.SafeHandles;

namespace HyperNest.Vmm.Disks.Qcow2;

/// <summary>
/// A qcow2 image (QEMU docs/interop/qcow2.txt), version 3, or 2 for reading: guest clusters map through the L1 and L2
/// tables to host clusters of 512 B to 2 MiB; an unallocated cluster reads from the backing file (raw or qcow2,
/// read-only, a chain of at most <see cref="MaxBackingChainDepth"/>) or as zeros, a zero cluster as zeros. A write
/// to an unallocated cluster allocates one at the end of the file and fills what the write does not cover from the
/// backing file (copy-on-write). Metadata changes stay in memory until <see cref="Flush"/>, which syncs the data,
/// then the refcounts, then the L2 tables, then the L1 table, so the file is consistent at every step.
/// Refused when opened (a <see cref="DiskException"/> saying why): encryption, compressed clusters, external data
/// files, extended L2 entries, unknown incompatible features, the dirty or corrupt bit, and any table or cluster
/// outside the file or overlapping the image's metadata; for writing, also internal snapshots.
/// </summary>
public sealed partial class Qcow2Image : IDiskImage
{
    /// <summary>The cluster size <see cref="Create"/> uses unless told otherwise (QEMU's default too).</summary>
    public const int DefaultClusterSize = 64 * 1024;

    /// <summary>How many images deep a backing chain may go below an image.</summary>
    public const int MaxBackingChainDepth = 64;

    private const int HeaderAutoclearOffset = 88;

    private readonly SafeFileHandle _file;
    private readonly Qcow2Header _header;
    private readonly Qcow2ClusterMap _map;
    private readonly Qcow2Refcounts? _refcounts;
    private readonly IDiskImage? _backing;
    private readonly byte[]? _scratch;
    private bool _disposed;

    private Qcow2Image(SafeFileHandle file, string path, bool readOnly, IReadOnlyList<string> chain, bool openBacking)
    {
        _file = file;
        Path = path;
        IsReadOnly = readOnly;
        long fileLength = FileSize.Of(file);
        _header = Qcow2Header.Read(file, path, fileLength);
        if (!readOnly && _header.SnapshotCount > 0)
        {
            throw new DiskException(path, $"has {_header.SnapshotCount} internal snapshots; HyperNest writes only qcow2 images without them (attach it read-only, or delete them with 'qemu-img snapshot -d')");
        }

        _map = new Qcow2ClusterMap(file, path, _header, FlushMetadata);
        var metadata = new HashSet<long>();
        if (!readOnly)
        {
            _refcounts = new Qcow2Refcounts(file, path, _header, fileLength, FlushMetadata);
            _refcounts.AddMetadataClusters(metadata);
            for (long offset = _header.L1TableOffset; offset < _header.L1TableOffset + (_header.L1Size * 8L); offset += ClusterSize)
            {
                Qcow2Header.ClaimMetadata(metadata, offset, path, "the L1 table");
            }

            _scratch = new byte[ClusterSize];
        }

        _map.Check(fileLength, forWriting: !readOnly, metadata);
        (BackingFilePath, BackingFormat) = ResolveBacking(path, _header);
        if (BackingFilePath is not null && openBacking)
        {
            _backing = OpenBacking(path, BackingFilePath, BackingFormat!.Value, chain);
        }

        if (!readOnly && _header.AutoclearFeatures != 0)
        {
            // Autoclear features (bitmaps) describe the data; a writer that does not keep them up to date clears them.
            RandomAccess.Write(file, stackalloc byte[8], HeaderAutoclearOffset);
            RandomAccess.FlushToDisk(file);
        }
    }

    public string Path { get; }

    public long VirtualSize => _header.VirtualSize;

    public bool IsReadOnly { get; }

    /// <summary>The cluster size in bytes: 512 to 2 MiB, a power of two.</summary>
    public int ClusterSize => _header.ClusterSize;

    /// <summary>The qcow2 version, 2 or 3.</summary>
    public int Version => _header.Version;

    /// <summary>The backing file's full path (the header's name, relative to this image's folder), or null.</summary>
    public string? BackingFilePath { get; }

    /// <summary>The backing file's format (its header extension, else its file name's), or null without one.</summary>
    public DiskFormat? BackingFormat { get; }

    /// <summary>
    /// Opens the qcow2 image at <paramref name="path"/> and its backing chain (read-only). A writable image is locked
    /// against every other opener, a read-only one shares its lock with readers. Throws <see cref="DiskException"/>.
    /// </summary>
    public static Qcow2Image Open(string path, bool readOnly = false) => Open(path, readOnly, [], openBacking: true);

    internal static Qcow2Image Open(string path, bool readOnly, IReadOnlyList<string> chain, bool openBacking)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        SafeFileHandle file = ImageFile.Open(path, readOnly);
        try
        {
            return new Qcow2Image(file, path, readOnly, chain, openBacking);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    public void Read(Span<byte> destination, long offset)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        CheckRange(offset, destination.Length);
        while (!destination.IsEmpty)
        {
            long cluster = offset >> _header.ClusterBits;
            int within = (int)(offset & (ClusterSize - 1));
            Span<byte> piece = destination[..Math.Min(ClusterSize - within, destination.Length)];
            ulong entry = _map.Get(cluster);
            long host = (long)(entry & Qcow2ClusterMap.OffsetMask);
            if ((entry & Qcow2ClusterMap.ReadsAsZero) != 0)
            {
                piece.Clear();
            }
            else if (host != 0)
            {
                ImageFile.ReadFully(_file, piece, host + within);
            }
            else
            {
                ReadBacking(piece, offset);
            }

            destination = destination[piece.Length..];
            offset += piece.Length;
        }
    }

    public void Write(ReadOnlySpan<byte> source, long offset)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_refcounts is null)
        {
            throw new InvalidOperationException($"disk image '{Path}' is open read-only");
        }

        CheckRange(offset, source.Length);
        while (!source.IsEmpty)
        {
            long cluster = offset >> _header.ClusterBits;
            int within = (int)(offset & (ClusterSize - 1));
            ReadOnlySpan<byte> piece = source[..Math.Min(ClusterSize - within, source.Length)];
            ulong entry = _map.Get(cluster);
            long host = (long)(entry & Qcow2ClusterMap.OffsetMask);
            if (host != 0 && (entry & Qcow2ClusterMap.ReadsAsZero) == 0)
            {
                RandomAccess.Write(_file, piece, host + within);
            }
            else
            {
                WriteNewCluster(cluster, entry, host, piece, within, _refcounts);
            }

            source = source[piece.Length..];
            offset += piece.Length;
        }
    }

    public void Flush()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!IsReadOnly)
        {
            FlushMetadata();
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        try
        {
            if (!IsReadOnly)
            {
                FlushMetadata();
            }
        }
        finally
        {
            _file.Dispose();
            _backing?.Dispose();
        }
    }

    /// <summary>
    /// Gives guest cluster <paramref name="cluster"/> a host cluster of its own (a new one, or the one a preallocated
    /// zero cluster has) holding <paramref name="piece"/> at <paramref name="within"/> and, around it, what the
    /// cluster read before: the backing file's data, or zeros. The data is written before the L2 entry is set.
    /// </summary>
    private void WriteNewCluster(long cluster, ulong entry, long host, ReadOnlySpan<byte> piece, int within, Qcow2Refcounts refcounts)
    {
        long target = host != 0 ? host : refcounts.Allocate(1);
        if (piece.Length == ClusterSize)
        {
            RandomAccess.Write(_file, piece, target);
        }
        else
        {
            Span<byte> whole = _scratch;
            if ((entry & Qcow2ClusterMap.ReadsAsZero) != 0)
            {
                whole.Clear();
            }
            else
            {
                ReadBacking(whole, cluster << _header.ClusterBits);
            }

            piece.CopyTo(whole[within..]);
            RandomAccess.Write(_file, whole, target);
        }

        _map.Set(cluster, (ulong)target | Qcow2ClusterMap.Copied, refcounts);
    }

    /// <summary>
    /// What an unallocated range reads: the backing file where it reaches (never past this image's own size), zeros
    /// elsewhere.
    /// </summary>
    private void ReadBacking(Span<byte> destination, long offset)
    {
        long covered = _backing is null ? 0 : Math.Min(_backing.VirtualSize, VirtualSize) - offset;
        int fromBacking = (int)Math.Clamp(covered, 0, destination.Length);
        if (fromBacking > 0)
        {
            _backing!.Read(destination[..fromBacking], offset);
        }

        destination[fromBacking..].Clear();
    }

    /// <summary>Data, then refcounts, then L2 tables, then the L1 table, each synced before the next is written.</summary>
    private void FlushMetadata()
    {
        _refcounts?.WriteDirty();
        RandomAccess.FlushToDisk(_file);
        if (_map.IsL2Dirty)
        {
            _map.WriteDirtyL2();
            RandomAccess.FlushToDisk(_file);
        }

        if (_map.IsL1Dirty)
        {
            _map.WriteDirtyL1();
            RandomAccess.FlushToDisk(_file);
        }
    }

    private void CheckRange(long offset, int length)
    {
        if (offset < 0 || length > VirtualSize - offset)
        {
            throw new ArgumentOutOfRangeException(nameof(offset), $"bytes {offset}+{length} are outside the {VirtualSize}-byte disk");
        }
    }
}
