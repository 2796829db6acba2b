using System.Buffers.Binary;
using HyperNest.Vmm.Devices.Virtio;

namespace HyperNest.Vmm.Disks.Qcow2;

/// <summary>Changing an image's virtual size (Resize-VHD), and how far its own data reaches (MinimumSize).</summary>
public sealed partial class Qcow2Image
{
    private const int HeaderSizeOffset = 24;

    /// <summary>
    /// One past the last guest byte of the last cluster this image holds itself (data, or a zero cluster), at most
    /// <see cref="VirtualSize"/>; 0 when it holds none. Below it nothing of the image's own content would be cut by a
    /// shrink; what its backing file shows through is the caller's to add.
    /// </summary>
    public long AllocatedDataEnd
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            long last = -1;
            foreach (long cluster in _map.AllocatedClusters())
            {
                last = Math.Max(last, cluster);
            }

            return Math.Min((last + 1) << _header.ClusterBits, VirtualSize);
        }
    }

    /// <summary>
    /// Opens the image alone, read-only, without its backing file: its header, backing file name and allocation can
    /// be inspected (<see cref="AllocatedDataEnd"/>) when the backing file is missing; a read of a cluster the
    /// image does not hold gives zeros. Throws <see cref="DiskException"/> as <see cref="Open(string, bool)"/> does.
    /// </summary>
    public static Qcow2Image OpenWithoutBacking(string path) => Open(path, readOnly: true, [], openBacking: false);

    /// <summary>
    /// Sets the virtual size of the qcow2 image at <paramref name="path"/> to <paramref name="newSize"/> bytes. A
    /// shrink is refused (<see cref="DiskException"/>) when the image holds a cluster at or past the new size: it
    /// would cut data. A growth past what the L1 table maps first gives the table room: in place when its last
    /// cluster has room (the new entries zeroed first), else a larger table at the end of the file, written and
    /// synced before the header points at it; the old table's clusters are freed after. The header's size goes last.
    /// The image must be unused by anything else (it is opened for writing). Throws <see cref="DiskException"/>.
    /// </summary>
    public static void Resize(string path, long newSize)
    {
        using Qcow2Image image = Open(path, readOnly: false, [], openBacking: false);
        if (newSize <= 0 || newSize > Qcow2Header.MaxVirtualSize)
        {
            throw new DiskException(path, $"a virtual size of {newSize} bytes is not between 1 byte and 64 PiB");
        }

        if (newSize < image.VirtualSize && image.AllocatedDataEnd > newSize)
        {
            throw new DiskException(path, $"holds data up to byte {image.AllocatedDataEnd}: shrinking it to {newSize} bytes would cut that data");
        }

        long entries = (newSize + image._header.L2Coverage - 1) / image._header.L2Coverage;
        if (entries * 8 > Qcow2Header.MaxL1Bytes)
        {
            throw new DiskException(path, $"a virtual size of {newSize} bytes needs an L1 table above 32 MiB with {image.ClusterSize}-byte clusters");
        }

        if (entries > image._header.L1Size)
        {
            image.GrowL1Table((int)entries);
        }

        Span<byte> size = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(size, newSize);
        RandomAccess.Write(image._file, size, HeaderSizeOffset);
        RandomAccess.FlushToDisk(image._file);
    }

    /// <summary>Makes the L1 table <paramref name="entries"/> long, new entries unallocated; the header names it.</summary>
    private void GrowL1Table(int entries)
    {
        Qcow2Refcounts refcounts = _refcounts!;
        long oldBytes = _header.L1Size * 8L;
        long oldClusters = Math.Max(1, (oldBytes + ClusterSize - 1) >> _header.ClusterBits);
        long newClusters = ((entries * 8L) + ClusterSize - 1) >> _header.ClusterBits;
        long offset = _header.L1TableOffset;
        if (newClusters > oldClusters || _header.L1Size == 0)
        {
            // A table elsewhere: its clusters counted first, then the old entries and zeros written there.
            offset = refcounts.Allocate((int)newClusters);
            refcounts.WriteDirty();
            RandomAccess.FlushToDisk(_file);
            var table = new byte[newClusters << _header.ClusterBits];
            ImageFile.ReadFully(_file, table.AsSpan(0, (int)oldBytes), _header.L1TableOffset);
            RandomAccess.Write(_file, table, offset);
        }
        else
        {
            // Room in the table's last cluster: the bytes past the old entries are not promised to be zero.
            RandomAccess.Write(_file, new byte[(entries * 8L) - oldBytes], offset + oldBytes);
        }

        RandomAccess.FlushToDisk(_file);
        Span<byte> fields = stackalloc byte[12];
        BinaryPrimitives.WriteInt32BigEndian(fields, entries);
        BinaryPrimitives.WriteInt64BigEndian(fields[4..], offset);
        RandomAccess.Write(_file, fields, Qcow2Header.L1SizeOffset);
        RandomAccess.FlushToDisk(_file);
        if (offset != _header.L1TableOffset && _header.L1Size > 0)
        {
            for (long cluster = _header.L1TableOffset >> _header.ClusterBits; cluster < (_header.L1TableOffset >> _header.ClusterBits) + oldClusters; cluster++)
            {
                refcounts.Free(cluster);
            }

            refcounts.WriteDirty();
            RandomAccess.FlushToDisk(_file);
        }
    }
}
