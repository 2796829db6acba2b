using System.Buffers.Binary;
using System.Text;
using HyperNest.Vmm.Devices.Virtio;
using Microsoft.Win32.SafeHandles;

namespace HyperNest.Vmm.Disks.Qcow2;

/// <summary>
/// A qcow2 header (QEMU docs/interop/qcow2.txt, "Header" and "Header extensions"), read from the first cluster and
/// checked before anything else in the file is touched: every offset is cluster-aligned and inside the file, every
/// table size is bounded, every feature bit is known. The file is untrusted input; a header that fails a check is
/// refused with a <see cref="DiskException"/> that says what is wrong.
/// </summary>
internal sealed class Qcow2Header
{
    public const uint Magic = 0x514649FB; // "QFI\xfb"
    public const int Version2Length = 72, Version3Length = 104;
    public const int MinClusterBits = 9, MaxClusterBits = 21;

    /// <summary>Where the L1 table's size (4 bytes) and, right after it, its offset (8 bytes) are in the header.</summary>
    public const int L1SizeOffset = 36;

    /// <summary>The spec's limit on a backing file name, in bytes.</summary>
    public const int MaxBackingFileNameBytes = 1023;

    /// <summary>Bounds on the tables read whole into memory (QEMU's own: 32 MiB of L1, 8 MiB of refcount table).</summary>
    public const long MaxL1Bytes = 32L << 20, MaxRefcountTableBytes = 8L << 20;

    /// <summary>L1/L2 entries hold host offsets below 64 PB (bits 9-55).</summary>
    public const long MaxVirtualSize = 1L << 56;

    // Incompatible feature bits (header bytes 72-79).
    public const ulong DirtyBit = 1UL << 0, CorruptBit = 1UL << 1, ExternalDataFileBit = 1UL << 2;
    public const ulong CompressionTypeBit = 1UL << 3, ExtendedL2Bit = 1UL << 4;

    // Header extension types.
    public const uint ExtensionEnd = 0, ExtensionBackingFormat = 0xE2792ACA, ExtensionExternalDataFile = 0x44415441;
    public const uint ExtensionEncryption = 0x0537BE77;

    public int Version { get; init; }
    public int ClusterBits { get; init; }
    public long VirtualSize { get; init; }
    public int L1Size { get; init; }
    public long L1TableOffset { get; init; }
    public long RefcountTableOffset { get; init; }
    public int RefcountTableClusters { get; init; }
    public int SnapshotCount { get; init; }
    public ulong AutoclearFeatures { get; init; }
    public int RefcountOrder { get; init; }
    public string? BackingFileName { get; init; }
    public string? BackingFormatName { get; init; }

    public int ClusterSize => 1 << ClusterBits;

    /// <summary>Guest bytes one L2 table maps: cluster size × entries per table.</summary>
    public long L2Coverage => (long)ClusterSize * (ClusterSize / 8);

    /// <summary>Reads and checks the header of <paramref name="file"/>, <paramref name="fileLength"/> bytes long.</summary>
    public static Qcow2Header Read(SafeFileHandle file, string path, long fileLength)
    {
        Span<byte> fixedPart = stackalloc byte[Version3Length];
        if (fileLength < Version2Length)
        {
            throw NotQcow2(path);
        }

        ImageFile.ReadFully(file, fixedPart, 0);
        if (BinaryPrimitives.ReadUInt32BigEndian(fixedPart) != Magic)
        {
            throw NotQcow2(path);
        }

        int clusterBits = (int)Math.Min(BinaryPrimitives.ReadUInt32BigEndian(fixedPart[20..]), 64);
        if (clusterBits is < MinClusterBits or > MaxClusterBits)
        {
            throw new DiskException(path, $"has qcow2 clusters of 2^{clusterBits} bytes; HyperNest reads cluster sizes from 512 bytes to 2 MiB");
        }

        // The header, its extensions and the backing file name all live in the first cluster.
        var cluster = new byte[1 << clusterBits];
        ImageFile.ReadFully(file, cluster, 0);
        return Parse(cluster, path, fileLength);
    }

    private static Qcow2Header Parse(ReadOnlySpan<byte> cluster, string path, long fileLength)
    {
        uint version = BinaryPrimitives.ReadUInt32BigEndian(cluster[4..]);
        if (version is not (2 or 3))
        {
            throw new DiskException(path, $"is qcow2 version {version}; HyperNest reads versions 2 and 3");
        }

        int clusterBits = (int)BinaryPrimitives.ReadUInt32BigEndian(cluster[20..]);
        long clusterSize = 1L << clusterBits;
        ulong incompatible = version == 3 ? BinaryPrimitives.ReadUInt64BigEndian(cluster[72..]) : 0;
        CheckFeatures(path, incompatible, BinaryPrimitives.ReadUInt32BigEndian(cluster[32..]));

        int headerLength = Version2Length, refcountOrder = 4;
        if (version == 3)
        {
            uint length = BinaryPrimitives.ReadUInt32BigEndian(cluster[100..]);
            uint order = BinaryPrimitives.ReadUInt32BigEndian(cluster[96..]);
            Require(path, length >= Version3Length && length % 8 == 0 && length <= clusterSize, $"header length {length} is not a multiple of 8 from 104 to the cluster size");
            Require(path, order <= 6, $"refcount order {order} is above 6");
            (headerLength, refcountOrder) = ((int)length, (int)order);
        }

        ulong size = BinaryPrimitives.ReadUInt64BigEndian(cluster[24..]);
        Require(path, size <= MaxVirtualSize, $"virtual size {size} is above 64 PiB");
        long l2Coverage = clusterSize * (clusterSize / 8);
        uint l1Size = BinaryPrimitives.ReadUInt32BigEndian(cluster[36..]);
        ulong l1Offset = BinaryPrimitives.ReadUInt64BigEndian(cluster[40..]);
        Require(path, l1Size * 8L <= MaxL1Bytes, $"L1 table of {l1Size} entries is above 32 MiB");
        Require(path, l1Size >= ((long)size + l2Coverage - 1) / l2Coverage, $"L1 table of {l1Size} entries does not cover the virtual size {size}");
        if (l1Size > 0)
        {
            RequireTable(path, "L1 table", l1Offset, l1Size * 8L, clusterSize, fileLength);
        }

        ulong refcountOffset = BinaryPrimitives.ReadUInt64BigEndian(cluster[48..]);
        uint refcountClusters = BinaryPrimitives.ReadUInt32BigEndian(cluster[56..]);
        Require(path, refcountClusters >= 1 && refcountClusters * clusterSize <= MaxRefcountTableBytes, $"refcount table of {refcountClusters} clusters is empty or above 8 MiB");
        RequireTable(path, "refcount table", refcountOffset, refcountClusters * clusterSize, clusterSize, fileLength);

        uint snapshots = BinaryPrimitives.ReadUInt32BigEndian(cluster[60..]);
        ulong snapshotsOffset = BinaryPrimitives.ReadUInt64BigEndian(cluster[64..]);
        if (snapshots > 0)
        {
            Require(path, snapshots <= 65536, $"{snapshots} internal snapshots are above 65536");
            RequireTable(path, "snapshot table", snapshotsOffset, 1, clusterSize, fileLength);
        }

        ulong backingOffset = BinaryPrimitives.ReadUInt64BigEndian(cluster[8..]);
        uint backingLength = BinaryPrimitives.ReadUInt32BigEndian(cluster[16..]);
        string? backingName = null;
        int extensionsEnd = cluster.Length;
        if (backingOffset != 0)
        {
            Require(path, backingLength is >= 1 and <= MaxBackingFileNameBytes, $"backing file name of {backingLength} bytes is empty or above {MaxBackingFileNameBytes}");
            Require(path, backingOffset >= (ulong)headerLength && backingOffset <= (ulong)cluster.Length && backingLength <= (ulong)cluster.Length - backingOffset, "backing file name lies outside the first cluster");
            backingName = ReadName(path, cluster.Slice((int)backingOffset, (int)backingLength), "backing file name");
            extensionsEnd = (int)backingOffset;
        }

        return new Qcow2Header
        {
            Version = (int)version,
            ClusterBits = clusterBits,
            VirtualSize = (long)size,
            L1Size = (int)l1Size,
            L1TableOffset = (long)l1Offset,
            RefcountTableOffset = (long)refcountOffset,
            RefcountTableClusters = (int)refcountClusters,
            SnapshotCount = (int)snapshots,
            AutoclearFeatures = version == 3 ? BinaryPrimitives.ReadUInt64BigEndian(cluster[88..]) : 0,
            RefcountOrder = refcountOrder,
            BackingFileName = backingName,
            BackingFormatName = ReadBackingFormat(path, cluster[headerLength..extensionsEnd]),
        };
    }

    /// <summary>Refuses what changes how the file must be read and is not supported, naming it.</summary>
    private static void CheckFeatures(string path, ulong incompatible, uint cryptMethod)
    {
        if (cryptMethod != 0)
        {
            throw new DiskException(path, "is an encrypted qcow2 image; HyperNest does not support qcow2 encryption");
        }

        if ((incompatible & CorruptBit) != 0)
        {
            throw new DiskException(path, "is marked corrupt (qcow2 corrupt bit set); check and repair it with 'qemu-img check -r all'");
        }

        if ((incompatible & DirtyBit) != 0)
        {
            throw new DiskException(path, "was not closed cleanly (qcow2 dirty bit set: its refcounts may be stale); repair it with 'qemu-img check -r all'");
        }

        if ((incompatible & ExternalDataFileBit) != 0)
        {
            throw new DiskException(path, "keeps its data in an external data file, which HyperNest does not support");
        }

        if ((incompatible & ExtendedL2Bit) != 0)
        {
            throw new DiskException(path, "uses extended L2 entries (subclusters), which HyperNest does not support; convert it with 'qemu-img convert -O qcow2'");
        }

        // The compression type bit only names the algorithm of compressed clusters, which are refused where found.
        ulong unknown = incompatible & ~(DirtyBit | CorruptBit | ExternalDataFileBit | CompressionTypeBit | ExtendedL2Bit);
        if (unknown != 0)
        {
            throw new DiskException(path, $"uses qcow2 features HyperNest does not know (incompatible feature bits 0x{unknown:x})");
        }
    }

    /// <summary>Walks the header extensions between the header and the backing file name; returns the backing format.</summary>
    private static string? ReadBackingFormat(string path, ReadOnlySpan<byte> area)
    {
        string? format = null;
        while (area.Length >= 8)
        {
            uint type = BinaryPrimitives.ReadUInt32BigEndian(area);
            uint length = BinaryPrimitives.ReadUInt32BigEndian(area[4..]);
            if (type == ExtensionEnd)
            {
                return format;
            }

            long padded = (length + 7L) & ~7L;
            Require(path, padded <= area.Length - 8, $"header extension 0x{type:x8} of {length} bytes runs past the header area");
            ReadOnlySpan<byte> data = area.Slice(8, (int)length);
            if (type == ExtensionBackingFormat)
            {
                Require(path, length is >= 1 and <= 64, "backing file format name is empty or too long");
                format = ReadName(path, data, "backing file format");
            }
            else if (type == ExtensionExternalDataFile)
            {
                throw new DiskException(path, "keeps its data in an external data file, which HyperNest does not support");
            }

            area = area[(8 + (int)padded)..];
        }

        throw Corrupt(path, "its header extensions have no end marker");
    }

    private static string ReadName(string path, ReadOnlySpan<byte> bytes, string what)
    {
        // NUL ends a name for every tool; a newline, escape or DEL would break the one-line message naming it.
        Require(path, bytes.IndexOfAnyInRange((byte)0, (byte)0x1F) < 0 && !bytes.Contains((byte)0x7F), $"{what} holds a control character");
        try
        {
            return new UTF8Encoding(false, true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw Corrupt(path, $"{what} is not UTF-8");
        }
    }

    /// <summary>A table at <paramref name="offset"/> must be cluster-aligned, past the header cluster, inside the file.</summary>
    private static void RequireTable(string path, string what, ulong offset, long length, long clusterSize, long fileLength) =>
        Require(
            path,
            offset % (ulong)clusterSize == 0 && offset >= (ulong)clusterSize && offset < (ulong)fileLength && (ulong)length <= (ulong)fileLength - offset,
            $"{what} at offset {offset} ({length} bytes) is not cluster-aligned or lies outside the file ({fileLength} bytes)");

    private static void Require(string path, bool condition, string problem)
    {
        if (!condition)
        {
            throw Corrupt(path, problem);
        }
    }

    /// <summary>
    /// Adds the cluster at <paramref name="offset"/> to <paramref name="metadata"/>, the clusters a writable image's
    /// tables occupy; refuses the image as corrupt when another table already holds it (a refcount update would then
    /// change that table).
    /// </summary>
    /// <exception cref="DiskException">The cluster is already metadata.</exception>
    public static void ClaimMetadata(HashSet<long> metadata, long offset, string path, string what)
    {
        if (!metadata.Add(offset))
        {
            throw Corrupt(path, $"{what} overlaps other metadata at offset {offset}");
        }
    }

    /// <summary>A DiskException for a qcow2 file whose metadata breaks the format's rules.</summary>
    public static DiskException Corrupt(string path, string problem) => new(path, $"is not a valid qcow2 image: {problem}");

    private static DiskException NotQcow2(string path) =>
        new(path, "is not a qcow2 image (it does not start with the qcow2 magic 'QFI\\xfb'); attach a raw image with format=raw");
}
