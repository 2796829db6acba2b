using HyperNest.Vmm.Disks;
using HyperNest.Vmm.Disks.Qcow2;

namespace HyperNest.Vmm.Tests.Disks;

/// <summary>
/// A seeded sequence of writes made to a qcow2 image and, identically, to a raw reference file: small writes at any
/// byte, writes across cluster boundaries and L2-table boundaries, whole clusters, overwrites of the last write, and
/// writes of zeros. Afterwards qemu-img compare must find the two identical.
/// </summary>
internal sealed class WriteSequence(int seed, long diskSize, int clusterSize)
{
    private readonly Random _random = new(seed);

    /// <summary>Applies <paramref name="count"/> writes to both; calls <see cref="IDiskImage.Flush"/> now and then.</summary>
    public void Apply(IDiskImage image, string referencePath, int count)
    {
        using var reference = new FileStream(referencePath, FileMode.Open, FileAccess.Write);
        long l2Coverage = (long)clusterSize * (clusterSize / 8);
        (long Offset, int Length) last = (0, 512);
        for (int i = 0; i < count; i++)
        {
            (long offset, int length) = _random.Next(6) switch
            {
                0 => (NextOffset(diskSize - 1), 1 + _random.Next(9000)),
                1 => Around(NextOffset(diskSize / clusterSize) * clusterSize, clusterSize),
                2 => Around(NextOffset((diskSize + l2Coverage - 1) / l2Coverage) * l2Coverage, clusterSize),
                3 => (NextOffset(diskSize / clusterSize) * clusterSize, clusterSize),
                4 => last,
                _ => (NextOffset(diskSize / 512) * 512, 512 * (1 + _random.Next(64))),
            };
            length = (int)Math.Min(length, diskSize - offset);
            if (length <= 0)
            {
                continue;
            }

            var data = new byte[length];
            if (_random.Next(5) != 0)
            {
                _random.NextBytes(data);
            }

            image.Write(data, offset);
            reference.Position = offset;
            reference.Write(data);
            last = (offset, length);
            if (_random.Next(20) == 0)
            {
                image.Flush();
            }
        }
    }

    /// <summary>A raw reference file of <paramref name="diskSize"/> bytes holding <paramref name="content"/> (sparse).</summary>
    public static string Reference(string path, long diskSize, byte[]? content = null)
    {
        using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
        file.SetLength(diskSize);
        file.Write(content);
        return path;
    }

    /// <summary>
    /// Creates overlay <paramref name="overlay"/> on <paramref name="backing"/> (in the same folder, holding
    /// <paramref name="baseContent"/>), applies <paramref name="count"/> writes seeded by <paramref name="seed"/> and
    /// closes it; returns the raw reference file, <paramref name="reference"/>, holding the same content.
    /// </summary>
    public static string OverlayWithWrites(string overlay, string backing, byte[] baseContent, int clusterSize, int seed, int count, string reference)
    {
        Qcow2Image.Create(overlay, null, System.IO.Path.GetFileName(backing), clusterSize: clusterSize);
        Reference(reference, baseContent.Length, baseContent);
        using Qcow2Image qcow2 = Qcow2Image.Open(overlay);
        new WriteSequence(seed, baseContent.Length, clusterSize).Apply(qcow2, reference, count);
        return reference;
    }

    private (long, int) Around(long boundary, int clusterSize)
    {
        long offset = Math.Max(0, boundary - 1 - _random.Next(clusterSize + 600));
        return (offset, 2 + _random.Next(clusterSize + 1200));
    }

    private long NextOffset(long below) => below <= 0 ? 0 : _random.NextInt64(below);
}
