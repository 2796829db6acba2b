using System.Buffers.Binary;
using HyperNest.Vmm.Disks.Qcow2;

namespace HyperNest.Vmm.Tests.Disks;

/// <summary>
/// Images HyperNest writes stay consistent for qemu-img check (no errors, no leaks) and read, for qemu-img compare,
/// exactly as a raw file given the same writes.
/// </summary>
public sealed class Qcow2WriteTests : IDisposable
{
    private const long GiB = 1L << 30;

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [SkippableTheory]
    [InlineData(512, 4L << 20, 400)]
    [InlineData(65536, 3 * GiB / 2, 300)]
    [InlineData(2 * 1024 * 1024, 64L << 20, 60)]
    public void Random_Writes_To_A_New_Image_Read_As_The_Same_Writes_To_A_Raw_File(int clusterSize, long size, int writes)
    {
        QemuImg.SkipUnlessAvailable();
        string image = _folder.Path("new.qcow2");
        Qcow2Image.Create(image, size, clusterSize: clusterSize);
        string reference = WriteSequence.Reference(_folder.Path("reference.raw"), size);

        using (Qcow2Image qcow2 = Qcow2Image.Open(image))
        {
            new WriteSequence(seed: clusterSize, size, clusterSize).Apply(qcow2, reference, writes);
        }

        QemuImg.AssertConsistent(image);
        QemuImg.AssertIdentical(image, "qcow2", reference, "raw");
    }

    [SkippableTheory]
    [InlineData("raw", 512)]
    [InlineData("raw", 65536)]
    [InlineData("qcow2", 65536)]
    [InlineData("qcow2", 2 * 1024 * 1024)]
    public void Partial_Cluster_Writes_Over_A_Backing_File_Keep_The_Rest_Of_The_Cluster(string backingFormat, int clusterSize)
    {
        QemuImg.SkipUnlessAvailable();
        const long size = 6L << 20;
        byte[] baseContent = Disk.Random((int)size, seed: 7);
        string backing = _folder.Raw("base.raw", baseContent);
        if (backingFormat == "qcow2")
        {
            QemuImg.Ok("convert", "-f", "raw", "-O", "qcow2", backing, _folder.Path("base.qcow2"));
            backing = _folder.Path("base.qcow2");
        }

        string overlay = _folder.Path("overlay.qcow2");

        string reference = WriteSequence.OverlayWithWrites(overlay, backing, baseContent, clusterSize, seed: 11, count: 200, _folder.Path("reference.raw"));

        QemuImg.AssertConsistent(overlay);
        QemuImg.AssertIdentical(overlay, "qcow2", reference, "raw");
        Assert.Equal(File.ReadAllBytes(reference), Disk.ContentOf(overlay));
    }

    [SkippableFact]
    public void Writes_Into_An_Image_Qemu_Wrote_Keep_Its_Data_And_Zero_Clusters()
    {
        QemuImg.SkipUnlessAvailable();
        string image = _folder.Path("qemu.qcow2");
        QemuImg.Ok("create", "-f", "qcow2", image, "8M");
        QemuImg.Io(image, "write -P 0x61 0 2M", "write -z 256k 128k", "write -z -u 1M 64k", "write -z 3M 192k", "write -P 0x62 5M 1M");
        string reference = _folder.Raw("reference.raw", QemuImg.ContentOf(image));

        using (Qcow2Image qcow2 = Qcow2Image.Open(image))
        {
            new WriteSequence(seed: 5, 8L << 20, 65536).Apply(qcow2, reference, 250);
        }

        QemuImg.AssertConsistent(image);
        QemuImg.AssertIdentical(image, "qcow2", reference, "raw");
    }

    [SkippableTheory]
    [InlineData("refcount_bits=1")]
    [InlineData("refcount_bits=2")]
    [InlineData("refcount_bits=8")]
    [InlineData("refcount_bits=64")]
    [InlineData("compat=0.10")]
    public void Images_With_Other_Refcount_Widths_And_Version_2_Are_Written_Consistently(string options)
    {
        QemuImg.SkipUnlessAvailable();
        string image = _folder.Path("other.qcow2");
        QemuImg.Ok("create", "-f", "qcow2", "-o", $"cluster_size=4096,{options}", image, "16M");
        string reference = WriteSequence.Reference(_folder.Path("reference.raw"), 16L << 20);

        using (Qcow2Image qcow2 = Qcow2Image.Open(image))
        {
            new WriteSequence(seed: 3, 16L << 20, 4096).Apply(qcow2, reference, 300);
        }

        QemuImg.AssertConsistent(image);
        QemuImg.AssertIdentical(image, "qcow2", reference, "raw");
    }

    [SkippableFact]
    public void Filling_An_Image_Of_512_Byte_Clusters_Grows_The_Refcount_Table()
    {
        QemuImg.SkipUnlessAvailable();
        const long size = 24L << 20;
        string image = _folder.Path("small-clusters.qcow2");
        QemuImg.Ok("create", "-f", "qcow2", "-o", "cluster_size=512", image, "24M");
        long tableBefore = RefcountTableOffset(image);
        byte[] data = Disk.Random((int)size, seed: 9);

        using (Qcow2Image qcow2 = Qcow2Image.Open(image))
        {
            for (long offset = 0; offset < size; offset += 64 * 1024)
            {
                qcow2.Write(data.AsSpan((int)offset, 64 * 1024), offset);
            }
        }

        QemuImg.AssertConsistent(image);
        Assert.Equal(data, QemuImg.ContentOf(image));
        Assert.NotEqual(tableBefore, RefcountTableOffset(image));
    }

    [SkippableFact]
    public void Scattered_Writes_Over_More_L2_Tables_Than_Are_Cached_Stay_Consistent()
    {
        QemuImg.SkipUnlessAvailable();
        const long size = 128L << 20;
        string image = _folder.Path("scattered.qcow2");
        Qcow2Image.Create(image, size, clusterSize: 512);
        string reference = WriteSequence.Reference(_folder.Path("reference.raw"), size);
        var random = new Random(13);

        using (Qcow2Image qcow2 = Qcow2Image.Open(image))
        using (var raw = new FileStream(reference, FileMode.Open, FileAccess.Write))
        {
            // One write per 32 KiB (one L2 table's worth), in random order: 4096 tables, more than the cache holds.
            foreach (long table in Enumerable.Range(0, 4096).OrderBy(_ => random.Next()))
            {
                byte[] data = Disk.Random(700, seed: (int)table);
                long offset = (table * 32768) + random.Next(32000);
                qcow2.Write(data, offset);
                raw.Position = offset;
                raw.Write(data);
            }
        }

        QemuImg.AssertConsistent(image);
        QemuImg.AssertIdentical(image, "qcow2", reference, "raw");
    }

    [SkippableFact]
    public void After_A_Flush_The_File_Is_Consistent_And_Complete_While_Still_Open()
    {
        QemuImg.SkipUnlessAvailable();
        string image = _folder.Path("flushed.qcow2");
        Qcow2Image.Create(image, 4L << 20);
        byte[] data = Disk.Random(200_000, seed: 4);

        using Qcow2Image qcow2 = Qcow2Image.Open(image);
        qcow2.Write(data, 70_000);
        qcow2.Flush();

        (int code, string output) = QemuImg.Run("check", "-U", "-f", "qcow2", image);
        Assert.True(code == 0, output);
        Assert.Equal(data, QemuImg.ContentOf(image)[70_000..270_000]);
    }

    [SkippableFact]
    public void What_Was_Written_Reads_Back_After_Reopening()
    {
        QemuImg.SkipUnlessAvailable();
        string image = _folder.Path("reopen.qcow2");
        Qcow2Image.Create(image, 2L << 20);
        byte[] data = Disk.Random(100_000, seed: 6);
        using (Qcow2Image qcow2 = Qcow2Image.Open(image))
        {
            qcow2.Write(data, 12_345);
        }

        using Qcow2Image reopened = Qcow2Image.Open(image, readOnly: true);
        var back = new byte[data.Length];
        reopened.Read(back, 12_345);

        Assert.Equal(data, back);
    }

    /// <summary>Header bytes 48-55: where the refcount table is.</summary>
    private static long RefcountTableOffset(string image)
    {
        using var file = File.OpenHandle(image);
        Span<byte> field = stackalloc byte[8];
        RandomAccess.Read(file, field, 48);
        return BinaryPrimitives.ReadInt64BigEndian(field);
    }
}
