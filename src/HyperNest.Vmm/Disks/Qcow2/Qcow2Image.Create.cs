using HyperNest.Kvm;
using System.Buffers.Binary;
using System.Numerics;
using System.Text;
using HyperNest.Vmm.Devices.Virtio;

namespace HyperNest.Vmm.Disks.Qcow2;

/// <summary>Creating an empty qcow2 image, or an overlay on a backing file.</summary>
public sealed partial class Qcow2Image
{
    private const int RefcountOrder = 4;

    /// <summary>
    /// Creates a qcow2 version 3 image at <paramref name="path"/> (which must not exist) of
    /// <paramref name="virtualSize"/> bytes, every cluster unallocated: zeros, or, with <paramref name="backingPath"/>,
    /// the backing file's content. A relative <paramref name="backingPath"/> is relative to the new image's folder
    /// and is stored as given (the pair can move together); its format is <paramref name="backingFormat"/>, else the
    /// file name's, and is recorded in the image. <paramref name="virtualSize"/> null takes the backing file's size.
    /// Layout: the header cluster, the refcount table, its blocks, the L1 table (16-bit refcounts).
    /// Throws <see cref="DiskException"/> naming the problem.
    /// </summary>
    public static void Create(string path, long? virtualSize, string? backingPath = null, DiskFormat? backingFormat = null, int clusterSize = DefaultClusterSize)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!BitOperations.IsPow2(clusterSize) || clusterSize < 1 << Qcow2Header.MinClusterBits || clusterSize > 1 << Qcow2Header.MaxClusterBits)
        {
            throw new DiskException(path, $"cluster size {clusterSize} is not a power of two from 512 bytes to 2 MiB");
        }

        if (File.Exists(path) || Directory.Exists(path))
        {
            throw new DiskException(path, "already exists");
        }

        DiskFormat? format = backingPath is null ? null : backingFormat ?? DiskImage.FormatFromFileName(backingPath);
        long? backingSize = backingPath is null ? null : SizeOfBacking(path, backingPath, format!.Value);
        long size = virtualSize ?? backingSize ?? throw new DiskException(path, "needs a size or a backing file");
        long l2Coverage = (long)clusterSize * (clusterSize / 8);
        long l1Entries = (size + l2Coverage - 1) / l2Coverage;
        if (size <= 0 || size > Qcow2Header.MaxVirtualSize || l1Entries * 8 > Qcow2Header.MaxL1Bytes)
        {
            throw new DiskException(path, $"a virtual size of {size} bytes is not between 1 byte and what {clusterSize}-byte clusters can map ({Qcow2Header.MaxL1Bytes / 8 * l2Coverage} bytes)");
        }

        byte[] header = Header(path, size, clusterSize, backingPath, format, l1Entries, out int refcountTableClusters, out int refcountBlocks, out long totalClusters);
        try
        {
            using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None);
            file.SetLength(totalClusters * clusterSize);
            file.Write(header);

            var table = new byte[refcountTableClusters * clusterSize];
            for (int i = 0; i < refcountBlocks; i++)
            {
                BinaryPrimitives.WriteInt64BigEndian(table.AsSpan(i * 8), (1L + refcountTableClusters + i) * clusterSize);
            }

            file.Write(table);
            var blocks = new byte[refcountBlocks * clusterSize];
            for (long cluster = 0; cluster < totalClusters; cluster++)
            {
                BinaryPrimitives.WriteUInt16BigEndian(blocks.AsSpan((int)(cluster * 2)), 1);
            }

            file.Write(blocks);
            file.Flush(flushToDisk: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DiskException(path, $"cannot be created ({e.UserMessage()})", e);
        }
    }

    /// <summary>
    /// The header cluster and the layout behind it: refcount table, refcount blocks covering every metadata cluster
    /// (themselves included), then the L1 table; the sizes depend on each other, so they are settled by iterating.
    /// </summary>
    private static byte[] Header(string path, long size, int clusterSize, string? backingPath, DiskFormat? format, long l1Entries,
        out int refcountTableClusters, out int refcountBlocks, out long totalClusters)
    {
        long blockEntries = (long)clusterSize * 8 >> RefcountOrder;
        long l1Clusters = Math.Max(1, (l1Entries * 8 + clusterSize - 1) / clusterSize);
        (refcountTableClusters, refcountBlocks) = (1, 1);
        while (true)
        {
            totalClusters = 1 + refcountTableClusters + refcountBlocks + l1Clusters;
            int blocks = (int)((totalClusters + blockEntries - 1) / blockEntries);
            int tableClusters = (int)((blocks * 8L + clusterSize - 1) / clusterSize);
            if (blocks == refcountBlocks && tableClusters == refcountTableClusters)
            {
                break;
            }

            (refcountTableClusters, refcountBlocks) = (tableClusters, blocks);
        }

        var header = new byte[clusterSize];
        Span<byte> h = header;
        BinaryPrimitives.WriteUInt32BigEndian(h, Qcow2Header.Magic);
        BinaryPrimitives.WriteUInt32BigEndian(h[4..], 3);
        BinaryPrimitives.WriteUInt32BigEndian(h[20..], (uint)BitOperations.Log2((uint)clusterSize));
        BinaryPrimitives.WriteInt64BigEndian(h[24..], size);
        BinaryPrimitives.WriteUInt32BigEndian(h[36..], (uint)l1Entries);
        BinaryPrimitives.WriteInt64BigEndian(h[40..], (1L + refcountTableClusters + refcountBlocks) * clusterSize);
        BinaryPrimitives.WriteInt64BigEndian(h[48..], clusterSize);
        BinaryPrimitives.WriteUInt32BigEndian(h[56..], (uint)refcountTableClusters);
        BinaryPrimitives.WriteUInt32BigEndian(h[96..], RefcountOrder);
        BinaryPrimitives.WriteUInt32BigEndian(h[100..], Qcow2Header.Version3Length);
        if (backingPath is null)
        {
            return header;
        }

        // Extensions (the backing format, then the end marker), then the backing file name, all in this cluster.
        byte[] formatName = Encoding.UTF8.GetBytes(DiskImage.FormatName(format!.Value));
        byte[] name = Encoding.UTF8.GetBytes(backingPath);
        int at = Qcow2Header.Version3Length;
        BinaryPrimitives.WriteUInt32BigEndian(h[at..], Qcow2Header.ExtensionBackingFormat);
        BinaryPrimitives.WriteUInt32BigEndian(h[(at + 4)..], (uint)formatName.Length);
        formatName.CopyTo(h[(at + 8)..]);
        at += 8 + ((formatName.Length + 7) & ~7) + 8;
        if (name.Length > Qcow2Header.MaxBackingFileNameBytes || at + name.Length > clusterSize)
        {
            throw new DiskException(path, $"backing file name '{backingPath}' is longer than {Math.Min(Qcow2Header.MaxBackingFileNameBytes, clusterSize - at)} bytes");
        }

        name.CopyTo(h[at..]);
        BinaryPrimitives.WriteInt64BigEndian(h[8..], at);
        BinaryPrimitives.WriteInt32BigEndian(h[16..], name.Length);
        return header;
    }

    /// <summary>The virtual size of the would-be backing file, opened read-only (which also checks its chain).</summary>
    private static long SizeOfBacking(string path, string backingPath, DiskFormat format)
    {
        string resolved = ResolveRelativeTo(path, backingPath);
        try
        {
            using IDiskImage backing = DiskImage.Open(resolved, format, readOnly: true);
            return backing.VirtualSize;
        }
        catch (DiskException e)
        {
            throw new DiskException(path, $"backing file '{e.Path}': {e.Reason}", e);
        }
    }
}
