using HyperNest.Vmm.Devices.Virtio;
using HyperNest.Vmm.Disks;
using HyperNest.Vmm.Disks.Qcow2;

namespace HyperNest.Vmm.Tests.Disks;

/// <summary>Committing an overlay (removing a checkpoint) leaves its backing file reading exactly as the overlay.</summary>
public sealed class Qcow2CommitTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [SkippableTheory]
    [InlineData(512)]
    [InlineData(65536)]
    public void Commit_Into_A_Raw_Backing_File_Makes_It_Read_As_The_Overlay(int clusterSize)
    {
        QemuImg.SkipUnlessAvailable();
        const long size = 5L << 20;
        byte[] baseContent = Disk.Random((int)size, seed: 21);
        string backing = _folder.Raw("base.raw", baseContent);
        string overlay = _folder.Path("checkpoint.qcow2");
        string reference = WriteSequence.OverlayWithWrites(overlay, backing, baseContent, clusterSize, seed: 22, count: 150, _folder.Path("reference.raw"));

        Qcow2Image.Commit(overlay);

        QemuImg.AssertIdentical(overlay, "qcow2", backing, "raw");
        Assert.Equal(File.ReadAllBytes(reference), File.ReadAllBytes(backing));
    }

    [SkippableFact]
    public void Commit_Into_A_Qcow2_Backing_File_With_Its_Own_Backing_File_Keeps_It_Consistent()
    {
        QemuImg.SkipUnlessAvailable();
        const long size = 4L << 20;
        _folder.Raw("base.raw", Disk.Random((int)size, seed: 31));
        string middle = _folder.Path("middle.qcow2");
        Qcow2Image.Create(middle, null, "base.raw");
        QemuImg.Io(middle, "write -P 0x41 100k 200k", "write -z 2M 64k");
        string top = _folder.Path("top.qcow2");
        Qcow2Image.Create(top, null, "middle.qcow2");
        QemuImg.Io(top, "write -P 0x42 150k 300k", "write -z 3M 100k", "write -P 0x43 2M 4k");
        byte[] expected = QemuImg.ContentOf(top);

        Qcow2Image.Commit(top);

        QemuImg.AssertConsistent(middle);
        QemuImg.AssertIdentical(top, "qcow2", middle, "qcow2");
        Assert.Equal(expected, QemuImg.ContentOf(middle));
    }

    [SkippableFact]
    public void Commit_Of_An_Overlay_Qemu_Made_Matches_Qemu_Img_Commit()
    {
        QemuImg.SkipUnlessAvailable();
        byte[] baseContent = Disk.Random(3 << 20, seed: 41);
        string ours = _folder.Raw("ours.raw", baseContent);
        string theirs = _folder.Raw("theirs.raw", baseContent);
        foreach (string name in new[] { "ours", "theirs" })
        {
            QemuImg.Ok("create", "-f", "qcow2", "-b", $"{name}.raw", "-F", "raw", _folder.Path($"{name}.qcow2"));
            QemuImg.Io(_folder.Path($"{name}.qcow2"), "write -P 0x51 10k 70k", "write -z 1M 128k", "write -P 0x52 3070k 2k");
        }

        Qcow2Image.Commit(_folder.Path("ours.qcow2"));
        QemuImg.Ok("commit", _folder.Path("theirs.qcow2"));

        Assert.Equal(File.ReadAllBytes(theirs), File.ReadAllBytes(ours));
    }

    [Fact]
    public void An_Image_Without_A_Backing_File_Has_Nothing_To_Commit_Into()
    {
        string path = _folder.Path("alone.qcow2");
        Qcow2Image.Create(path, 1 << 20);

        var error = Assert.Throws<DiskException>(() => Qcow2Image.Commit(path));

        Assert.Contains("has no backing file to commit into", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_Overlay_Larger_Than_Its_Backing_File_Is_Refused_And_Nothing_Is_Written()
    {
        byte[] baseContent = Disk.Random(1 << 20, seed: 51);
        string backing = _folder.Raw("base.raw", baseContent);
        string overlay = _folder.Path("big.qcow2");
        Qcow2Image.Create(overlay, 2L << 20, "base.raw");
        using (IDiskImage image = DiskImage.Open(overlay))
        {
            image.Write(new byte[4096], 0);
        }

        var error = Assert.Throws<DiskException>(() => Qcow2Image.Commit(overlay));

        Assert.Contains("is larger", error.Message, StringComparison.Ordinal);
        Assert.Equal(baseContent, File.ReadAllBytes(backing));
    }

    [Fact]
    public void A_Backing_File_In_Use_For_Writing_Is_Not_Committed_Into()
    {
        string backing = _folder.Raw("base.raw", new byte[1 << 20]);
        string overlay = _folder.Path("overlay.qcow2");
        Qcow2Image.Create(overlay, null, "base.raw");
        using IDiskImage running = DiskImage.Open(backing);

        var error = Assert.Throws<DiskException>(() => Qcow2Image.Commit(overlay));

        Assert.Contains("is in use", error.Message, StringComparison.Ordinal);
    }
}
