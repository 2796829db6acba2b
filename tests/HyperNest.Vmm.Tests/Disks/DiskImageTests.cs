using HyperNest.Vmm.Devices.Virtio;
using HyperNest.Vmm.Disks;
using HyperNest.Vmm.Disks.Qcow2;

namespace HyperNest.Vmm.Tests.Disks;

/// <summary>The format is the one given, else the file name's; never the content's.</summary>
public sealed class DiskImageTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData("/vms/root.qcow2", DiskFormat.Qcow2)]
    [InlineData("ROOT.QCOW2", DiskFormat.Qcow2)]
    [InlineData("root.img", DiskFormat.Raw)]
    [InlineData("root.raw", DiskFormat.Raw)]
    [InlineData("root.qcow2.img", DiskFormat.Raw)]
    [InlineData("/dev/vdb", DiskFormat.Raw)]
    public void Without_A_Format_The_File_Name_Decides(string path, DiskFormat format)
    {
        Assert.Equal(format, DiskImage.FormatFromFileName(path));
    }

    [Fact]
    public void A_Raw_Disk_Whose_Guest_Wrote_A_Qcow2_Header_Stays_Raw()
    {
        string host = _folder.Raw("host-secret.raw", Disk.Random(1 << 20, seed: 1));
        string qcow2 = _folder.Path("written-by-guest.qcow2");
        Qcow2Image.Create(qcow2, null, host);
        byte[] written = File.ReadAllBytes(qcow2);
        string disk = _folder.Raw("disk.img", written);

        using IDiskImage image = DiskImage.Open(disk);

        Assert.IsType<RawDiskImage>(image);
        Assert.Equal(written.Length, image.VirtualSize);
        Assert.Equal(written, Disk.ContentOf(image));
    }

    [Fact]
    public void An_Explicit_Format_Overrides_The_File_Name()
    {
        string path = _folder.Path("named-raw.img");
        Qcow2Image.Create(path, 3 << 20);

        using IDiskImage image = DiskImage.Open(path, DiskFormat.Qcow2, readOnly: true);

        Assert.IsType<Qcow2Image>(image);
        Assert.Equal(3L << 20, image.VirtualSize);
    }

    [Fact]
    public void A_Raw_Image_Reads_And_Writes_The_File_Bytes_In_Place()
    {
        byte[] content = Disk.Random(64 * 1024, seed: 2);
        string path = _folder.Raw("disk.raw", content);
        byte[] data = Disk.Random(1000, seed: 3);

        using (IDiskImage image = DiskImage.Open(path))
        {
            image.Write(data, 777);
            image.Flush();
        }

        data.CopyTo(content, 777);
        Assert.Equal(content, File.ReadAllBytes(path));
    }

    /// <summary>
    /// A FIFO, socket or character device holds no disk: opening a FIFO would block the VMM until a writer came, and
    /// a qcow2 image from elsewhere may name one as its backing file (found by reading while writing the qcow2 fuzz
    /// target). A block device is a disk and stays allowed.
    /// </summary>
    [Theory]
    [InlineData(DiskFormat.Raw)]
    [InlineData(DiskFormat.Qcow2)]
    public void A_FIFO_Or_Character_Device_Is_Refused_As_Neither_File_Nor_Block_Device(DiskFormat format)
    {
        string fifo = _folder.Path("pipe");
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", fifo))
        {
            mkfifo.WaitForExit();
        }

        foreach (string path in new[] { fifo, "/dev/null" })
        {
            foreach (bool readOnly in new[] { true, false })
            {
                var error = Assert.Throws<DiskException>(() => DiskImage.Open(path, format, readOnly));

                Assert.Equal($"disk image '{path}': is neither a regular file nor a block device", error.Message);
            }
        }
    }

    [SkippableFact]
    public void A_Qcow2_Image_Whose_Backing_File_Is_A_FIFO_Is_Refused_Naming_It()
    {
        QemuImg.SkipUnlessAvailable();
        string fifo = _folder.Path("backing.raw");
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", fifo))
        {
            mkfifo.WaitForExit();
        }

        string top = _folder.Path("top.qcow2");
        QemuImg.Ok("create", "-f", "qcow2", "-u", "-b", fifo, "-F", "raw", top, "1M");

        var error = Assert.Throws<DiskException>(() => DiskImage.Open(top, readOnly: true));

        Assert.Contains($"backing file '{fifo}': is neither a regular file nor a block device", error.Message, StringComparison.Ordinal);
    }
}
