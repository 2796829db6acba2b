using System.Text.Json;
using HyperNest.Vmm.Devices.Virtio;
using HyperNest.Vmm.Disks;
using HyperNest.Vmm.Disks.Qcow2;

namespace HyperNest.Vmm.Tests.Disks;

/// <summary>
/// Resizing a qcow2 image (Resize-VHD) keeps it consistent and its content whole, as qemu-img info, check and compare
/// see it; a shrink that would cut data is refused. And where an image's own data ends (MinimumSize).
/// </summary>
public sealed class Qcow2ResizeTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [SkippableTheory]
    [InlineData(65536, 4L << 20, 8L << 30)] // the L1 table's cluster has room: in place
    [InlineData(512, 1L << 20, 64L << 20)] // 512-byte clusters map 32 KiB per L2 table: the L1 table moves
    [InlineData(4096, 1L << 20, 4L << 30)] // a several-cluster L1 table at the end of the file
    public void Growing_Keeps_The_Data_And_The_Image_Consistent(int clusterSize, long size, long grown)
    {
        QemuImg.SkipUnlessAvailable();
        string path = _folder.Path("disk.qcow2");
        Qcow2Image.Create(path, size, clusterSize: clusterSize);
        QemuImg.Io(path, "write -P 0x5a 0 64k", $"write -P 0xa5 {size - 4096} 4k");
        byte[] before = QemuImg.ContentOf(path);

        Qcow2Image.Resize(path, grown);

        Assert.Equal(grown, Info(path).GetProperty("virtual-size").GetInt64());
        QemuImg.AssertConsistent(path);
        QemuImg.Io(path, $"write -P 0x77 {grown - 512} 512");
        QemuImg.AssertConsistent(path);
        using Qcow2Image image = Qcow2Image.Open(path, readOnly: true);
        var read = new byte[before.Length];
        image.Read(read, 0);
        Assert.Equal(before, read);
        var tail = new byte[512];
        image.Read(tail, grown - 512);
        Assert.All(tail, b => Assert.Equal(0x77, b));
    }

    [SkippableFact]
    public void Shrinking_Above_The_Last_Data_Keeps_It_And_Stays_Consistent()
    {
        QemuImg.SkipUnlessAvailable();
        string path = _folder.Path("disk.qcow2");
        QemuImg.Ok("create", "-f", "qcow2", path, "64M");
        QemuImg.Io(path, "write -P 0x11 1M 64k");

        Qcow2Image.Resize(path, 2L << 20);

        Assert.Equal(2L << 20, Info(path).GetProperty("virtual-size").GetInt64());
        QemuImg.AssertConsistent(path);
        byte[] content = QemuImg.ContentOf(path);
        Assert.All(content.AsSpan(1 << 20, 64 << 10).ToArray(), b => Assert.Equal(0x11, b));
    }

    [SkippableFact]
    public void Shrinking_Below_Data_Is_Refused_And_Changes_Nothing()
    {
        QemuImg.SkipUnlessAvailable();
        string path = _folder.Path("disk.qcow2");
        QemuImg.Ok("create", "-f", "qcow2", path, "64M");
        QemuImg.Io(path, "write -P 0x11 40M 4k");
        byte[] file = File.ReadAllBytes(path);

        DiskException refused = Assert.Throws<DiskException>(() => Qcow2Image.Resize(path, 32L << 20));

        Assert.Contains("would cut that data", refused.Message, StringComparison.Ordinal);
        Assert.Equal(file, File.ReadAllBytes(path));
    }

    [SkippableTheory]
    [InlineData(0L, 0L)]
    [InlineData(5L << 20, (5L << 20) + 65536)]
    [InlineData((8L << 20) - 512, 8L << 20)]
    public void AllocatedDataEnd_Is_The_End_Of_The_Last_Cluster_The_Image_Holds(long written, long expected)
    {
        QemuImg.SkipUnlessAvailable();
        string path = _folder.Path("disk.qcow2");
        QemuImg.Ok("create", "-f", "qcow2", path, "8M");
        if (written > 0)
        {
            QemuImg.Io(path, $"write -P 0x22 {written} 512");
        }

        using Qcow2Image image = Qcow2Image.OpenWithoutBacking(path);

        Assert.Equal(expected, image.AllocatedDataEnd);
    }

    [Theory]
    [InlineData(1000L, "disk 'd.img' is 1000 bytes, not a multiple of 512: the guest sees 512 bytes (1 sector) and cannot reach its last 488 bytes (bytes 512 to 999)")]
    [InlineData(100L, "disk 'd.img' is 100 bytes, not a multiple of 512: the guest sees no sector and cannot reach its last 100 bytes (bytes 0 to 99)")]
    [InlineData(4096L, null)]
    public void A_Partial_Last_Sector_Is_Named_As_Unreachable(long size, string? warning) =>
        Assert.Equal(warning, DiskImage.UnreachableTail("d.img", size));

    [Fact]
    public void The_Warning_Of_A_File_On_Disk_Reads_Its_Size()
    {
        string path = _folder.Raw("odd.img", new byte[1000]);

        Assert.Contains("cannot reach its last 488 bytes", DiskImage.UnreachableTail(path), StringComparison.Ordinal);
    }

    private static JsonElement Info(string path) => JsonDocument.Parse(QemuImg.Ok("info", "--output=json", path)).RootElement;
}
