using HyperNest.Vmm.Disks;

namespace HyperNest.Vmm.Tests.Disks;

/// <summary>Helpers over a whole disk: its content, seeded random data.</summary>
internal static class Disk
{
    /// <summary>Everything <paramref name="image"/> reads, read in pieces of <paramref name="piece"/> bytes.</summary>
    public static byte[] ContentOf(IDiskImage image, int piece = 3 * 4096 + 512)
    {
        var content = new byte[image.VirtualSize];
        for (long offset = 0; offset < content.Length; offset += piece)
        {
            image.Read(content.AsSpan((int)offset, (int)Math.Min(piece, content.Length - offset)), offset);
        }

        return content;
    }

    /// <summary>The content of the image at <paramref name="path"/>, opened read-only in <paramref name="format"/>.</summary>
    public static byte[] ContentOf(string path, DiskFormat format = DiskFormat.Qcow2)
    {
        using IDiskImage image = DiskImage.Open(path, format, readOnly: true);
        return ContentOf(image);
    }

    /// <summary><paramref name="length"/> bytes from a seeded generator: the same for the same seed.</summary>
    public static byte[] Random(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }
}
