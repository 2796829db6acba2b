using HyperNest.Vmm.Disks;
using HyperNest.Vmm.Disks.Qcow2;

namespace HyperNest.Vmm.Tests.Disks;

/// <summary>Images qemu-img creates and qemu-io writes read back, byte for byte, as qemu-img convert sees them.</summary>
public sealed class Qcow2ReadTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [SkippableTheory]
    [InlineData(512)]
    [InlineData(65536)]
    [InlineData(2 * 1024 * 1024)]
    public void Reads_What_Qemu_Wrote_With_Any_Cluster_Size(int clusterSize)
    {
        QemuImg.SkipUnlessAvailable();
        string image = _folder.Path("disk.qcow2");
        QemuImg.Ok("create", "-f", "qcow2", "-o", $"cluster_size={clusterSize}", image, "8M");
        QemuImg.Io(
            image,
            "write -P 0xab 0 4k", "write -P 0x11 65000 70000", "write -P 0x5c 3M 1M", "write -P 0x77 8388096 512",
            "write -z 3200k 64k", "write -P 0x3d 5M 2M", "write -z 5M 8k");

        using Qcow2Image qcow2 = Qcow2Image.Open(image, readOnly: true);

        Assert.Equal(8L << 20, qcow2.VirtualSize);
        Assert.Equal(clusterSize, qcow2.ClusterSize);
        Assert.Equal(QemuImg.ContentOf(image), Disk.ContentOf(qcow2));
    }

    [SkippableFact]
    public void Version_2_Images_Read_As_Qemu_Wrote_Them()
    {
        QemuImg.SkipUnlessAvailable();
        string image = _folder.Path("v2.qcow2");
        QemuImg.Ok("create", "-f", "qcow2", "-o", "compat=0.10", image, "4M");
        QemuImg.Io(image, "write -P 0x42 100k 300k", "write -P 0x43 4032k 64k");

        using Qcow2Image qcow2 = Qcow2Image.Open(image, readOnly: true);

        Assert.Equal(2, qcow2.Version);
        Assert.Equal(QemuImg.ContentOf(image), Disk.ContentOf(qcow2));
    }

    [SkippableFact]
    public void An_Overlay_Reads_Its_Own_Clusters_And_The_Raw_Backing_File_Elsewhere()
    {
        QemuImg.SkipUnlessAvailable();
        byte[] baseContent = Disk.Random(3 << 20, seed: 1);
        _folder.Raw("base.raw", baseContent);
        string overlay = _folder.Path("overlay.qcow2");
        QemuImg.Ok("create", "-f", "qcow2", "-b", "base.raw", "-F", "raw", overlay);
        QemuImg.Io(overlay, "write -P 0x99 70k 8k", "write -z 1M 64k", "write -P 0x98 3070k 2k");

        using Qcow2Image qcow2 = Qcow2Image.Open(overlay, readOnly: true);
        byte[] content = Disk.ContentOf(qcow2);

        Assert.Equal(_folder.Path("base.raw"), qcow2.BackingFilePath);
        Assert.Equal(DiskFormat.Raw, qcow2.BackingFormat);
        Assert.Equal(QemuImg.ContentOf(overlay), content);
        Assert.Equal(baseContent[..(64 << 10)], content[..(64 << 10)]);
        Assert.All(content[(1 << 20)..((1 << 20) + (64 << 10))], b => Assert.Equal(0, b));
    }

    [SkippableFact]
    public void A_Chain_Of_Qcow2_Overlays_Reads_Through_Every_Level()
    {
        QemuImg.SkipUnlessAvailable();
        _folder.Raw("base.raw", Disk.Random(2 << 20, seed: 2));
        QemuImg.Ok("create", "-f", "qcow2", "-b", "base.raw", "-F", "raw", _folder.Path("middle.qcow2"));
        QemuImg.Io(_folder.Path("middle.qcow2"), "write -P 0x21 0 100k", "write -P 0x22 1M 64k");
        QemuImg.Ok("create", "-f", "qcow2", "-b", "middle.qcow2", "-F", "qcow2", _folder.Path("top.qcow2"));
        QemuImg.Io(_folder.Path("top.qcow2"), "write -P 0x31 50k 100k", "write -z 1M 4k");

        Assert.Equal(QemuImg.ContentOf(_folder.Path("top.qcow2")), Disk.ContentOf(_folder.Path("top.qcow2")));
    }

    [SkippableFact]
    public void An_Overlay_Larger_Than_Its_Backing_File_Reads_Zeros_Past_It()
    {
        QemuImg.SkipUnlessAvailable();
        _folder.Raw("base.raw", Disk.Random(100_000, seed: 3));
        string overlay = _folder.Path("big.qcow2");
        QemuImg.Ok("create", "-f", "qcow2", "-b", "base.raw", "-F", "raw", overlay, "1M");

        byte[] content = Disk.ContentOf(overlay);

        Assert.Equal(QemuImg.ContentOf(overlay), content);
        Assert.All(content[100_000..], b => Assert.Equal(0, b));
    }

    [SkippableFact]
    public void The_Virtual_Size_Need_Not_Be_A_Whole_Number_Of_Clusters()
    {
        QemuImg.SkipUnlessAvailable();
        string image = _folder.Path("odd.qcow2");
        QemuImg.Ok("create", "-f", "qcow2", image, "1000448");
        QemuImg.Io(image, "write -P 0x7e 999936 512");

        using Qcow2Image qcow2 = Qcow2Image.Open(image, readOnly: true);

        Assert.Equal(1000448, qcow2.VirtualSize);
        Assert.Equal(QemuImg.ContentOf(image), Disk.ContentOf(qcow2));
    }

    [SkippableFact]
    public void A_Read_Only_Image_Refuses_Writes_And_Is_Left_Unchanged()
    {
        QemuImg.SkipUnlessAvailable();
        string image = _folder.Path("ro.qcow2");
        QemuImg.Ok("create", "-f", "qcow2", image, "1M");
        byte[] before = File.ReadAllBytes(image);

        using (Qcow2Image qcow2 = Qcow2Image.Open(image, readOnly: true))
        {
            Assert.True(qcow2.IsReadOnly);
            Assert.Throws<InvalidOperationException>(() => qcow2.Write(new byte[512], 0));
        }

        Assert.Equal(before, File.ReadAllBytes(image));
    }

    [Theory]
    [InlineData(-512L, 512)]
    [InlineData(1L << 20, 1)]
    [InlineData((1L << 20) - 511, 512)]
    [InlineData(long.MaxValue, 512)]
    public void Reads_And_Writes_Outside_The_Virtual_Disk_Are_Refused_And_Touch_Nothing(long offset, int length)
    {
        string image = _folder.Path("bounded.qcow2");
        Qcow2Image.Create(image, 1 << 20);

        using (Qcow2Image qcow2 = Qcow2Image.Open(image))
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => qcow2.Read(new byte[length], offset));
            Assert.Throws<ArgumentOutOfRangeException>(() => qcow2.Write(new byte[length], offset));
        }

        using Qcow2Image reopened = Qcow2Image.Open(image, readOnly: true);
        Assert.All(Disk.ContentOf(reopened), b => Assert.Equal(0, b));
        Assert.True(new FileInfo(image).Length <= 4 * Qcow2Image.DefaultClusterSize);
    }
}
