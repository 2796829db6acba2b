using HyperNest.Vmm.Devices.Virtio;
using HyperNest.Vmm.Disks;
using HyperNest.Vmm.Disks.Qcow2;
using HyperNest.Vmm.Tests.Disks;

namespace HyperNest.Vmm.Tests.Devices.Virtio;

/// <summary>virtio-blk over a qcow2 image (chosen by its .qcow2 name), and what only qcow2 has: a virtual size, a backing file.</summary>
public sealed class Qcow2BlockTests : BlockTests
{
    [Fact]
    public void The_Guest_Sees_The_Virtual_Size_Not_The_File_Size()
    {
        using var folder = new TempFolder();
        string path = folder.Path("big.qcow2");
        Qcow2Image.Create(path, 10L << 30);

        using var block = new Block(path, readOnly: true);

        Assert.Equal((10UL << 30) / 512, block.CapacitySectors);
        Assert.True(new FileInfo(path).Length < 1 << 20);
    }

    [Fact]
    public void A_Read_Only_Qcow2_Disk_Is_Opened_Read_Only_And_Shared_With_Other_Readers()
    {
        using var folder = new TempFolder();
        string path = folder.Path("shared.qcow2");
        Qcow2Image.Create(path, 1 << 20);

        using var first = new Block(path, readOnly: true);
        using var second = new Block(path, readOnly: true);

        Assert.True(first.IsReadOnly);
        Assert.NotEqual(0UL, first.OfferedFeatures & Block.FeatureReadOnly);
        Assert.Throws<DiskException>(() => new Block(path));
    }

    [Fact]
    public void The_Format_Given_Wins_Over_The_File_Name()
    {
        using var folder = new TempFolder();
        string path = folder.Path("disk.img");
        Qcow2Image.Create(path, 4L << 20);

        using var asQcow2 = new Block(new DiskConfig(path, ReadOnly: true, Format: DiskFormat.Qcow2));
        using var asRaw = new Block(path, readOnly: true);

        Assert.Equal((4UL << 20) / 512, asQcow2.CapacitySectors);
        Assert.Equal((ulong)new FileInfo(path).Length / 512, asRaw.CapacitySectors);
    }

    private protected override ITestDisk CreateImage(long sectors) => new TempQcow2DiskImage(sectors);
}
