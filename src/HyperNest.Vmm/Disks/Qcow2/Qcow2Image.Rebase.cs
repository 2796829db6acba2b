using System.Buffers.Binary;
using System.Text;
using HyperNest.Vmm.Devices.Virtio;

namespace HyperNest.Vmm.Disks.Qcow2;

/// <summary>Naming another backing file with the same content (after a commit moved an overlay's data into its backing file).</summary>
public sealed partial class Qcow2Image
{
    /// <summary>
    /// Makes the overlay at <paramref name="path"/> name <paramref name="backingPath"/> (format
    /// <paramref name="backingFormat"/>) as its backing file, changing nothing else: no cluster is read or copied, so
    /// the new backing file must read exactly as the old one (a commit made it so). The header cluster keeps its other
    /// extensions; the backing-format extension, the end marker and the name are written after them in one write,
    /// then made durable. The overlay must be unused by anything else. Throws <see cref="DiskException"/> when it is
    /// not a qcow2 image with a backing file, or the name does not fit its header cluster.
    /// </summary>
    public static void ChangeBackingFile(string path, string backingPath, DiskFormat backingFormat)
    {
        int clusterSize;
        int headerLength;
        using (Qcow2Image image = Open(path, readOnly: true, [], openBacking: false))
        {
            if (image.BackingFilePath is null)
            {
                throw new DiskException(path, "has no backing file to replace");
            }

            clusterSize = image.ClusterSize;
            headerLength = image.Version == 3 ? -1 : Qcow2Header.Version2Length;
        }

        using var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
        byte[] cluster = new byte[clusterSize];
        ImageFile.ReadFully(file.SafeFileHandle, cluster, 0);
        if (headerLength < 0)
        {
            headerLength = (int)BinaryPrimitives.ReadUInt32BigEndian(cluster.AsSpan(100));
        }

        int oldEnd = (int)(BinaryPrimitives.ReadUInt64BigEndian(cluster.AsSpan(8)) + BinaryPrimitives.ReadUInt32BigEndian(cluster.AsSpan(16)));
        byte[] area = Extensions(path, cluster, headerLength, backingFormat);
        byte[] name = Encoding.UTF8.GetBytes(backingPath);
        int nameOffset = headerLength + area.Length;
        if (name.Length > Qcow2Header.MaxBackingFileNameBytes || nameOffset + name.Length > clusterSize)
        {
            throw new DiskException(path, $"backing file name '{backingPath}' does not fit its header cluster");
        }

        int end = Math.Max(oldEnd, nameOffset + name.Length);
        Array.Clear(cluster, headerLength, end - headerLength);
        area.CopyTo(cluster, headerLength);
        name.CopyTo(cluster, nameOffset);
        BinaryPrimitives.WriteInt64BigEndian(cluster.AsSpan(8), nameOffset);
        BinaryPrimitives.WriteInt32BigEndian(cluster.AsSpan(16), name.Length);
        RandomAccess.Write(file.SafeFileHandle, cluster.AsSpan(0, end), 0);
        RandomAccess.FlushToDisk(file.SafeFileHandle);
    }

    /// <summary>The header extensions kept (all but the backing format and the end), then the new backing format and the end.</summary>
    private static byte[] Extensions(string path, byte[] cluster, int headerLength, DiskFormat backingFormat)
    {
        var kept = new List<byte>();
        int at = headerLength;
        while (at + 8 <= cluster.Length)
        {
            uint type = BinaryPrimitives.ReadUInt32BigEndian(cluster.AsSpan(at));
            int length = (int)BinaryPrimitives.ReadUInt32BigEndian(cluster.AsSpan(at + 4));
            if (type == Qcow2Header.ExtensionEnd)
            {
                break;
            }

            int whole = 8 + ((length + 7) & ~7);
            if (length < 0 || at + whole > cluster.Length)
            {
                throw Qcow2Header.Corrupt(path, "a header extension runs past the first cluster");
            }

            if (type != Qcow2Header.ExtensionBackingFormat)
            {
                kept.AddRange(cluster.AsSpan(at, whole));
            }

            at += whole;
        }

        byte[] formatName = Encoding.UTF8.GetBytes(DiskImage.FormatName(backingFormat));
        byte[] extension = new byte[8 + ((formatName.Length + 7) & ~7) + 8];
        BinaryPrimitives.WriteUInt32BigEndian(extension, Qcow2Header.ExtensionBackingFormat);
        BinaryPrimitives.WriteUInt32BigEndian(extension.AsSpan(4), (uint)formatName.Length);
        formatName.CopyTo(extension, 8);
        return [.. kept, .. extension];
    }
}
