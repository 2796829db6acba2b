using HyperNest.Vmm.Devices.Virtio;
using HyperNest.Vmm.Disks;
using HyperNest.Vmm.Disks.Qcow2;

namespace HyperNest.Vmm.Tests.Disks;

/// <summary>
/// Naming another backing file of the same content (after a commit, when a checkpoint is removed): only the header
/// changes, the overlay stays consistent and reads the same, and its other header extensions are kept.
/// </summary>
public sealed class Qcow2RebaseTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [SkippableFact]
    public void A_Qcow2_Overlay_Rebased_Onto_A_Raw_Copy_Reads_The_Same_And_Names_It_With_Its_Format()
    {
        QemuImg.SkipUnlessAvailable();
        string middle = _folder.Path("middle.qcow2");
        _folder.Raw("base.raw", Disk.Random(2 << 20, seed: 41));
        Qcow2Image.Create(middle, null, _folder.Path("base.raw"));
        QemuImg.Io(middle, "write -P 0x61 0 300k");
        string top = _folder.Path("top.qcow2");
        Qcow2Image.Create(top, null, middle, DiskFormat.Qcow2);
        QemuImg.Io(top, "write -P 0x62 1M 100k");
        byte[] expected = QemuImg.ContentOf(top);
        string flat = _folder.Path("flat.img");
        QemuImg.Ok("convert", "-f", "qcow2", "-O", "raw", middle, flat);

        Qcow2Image.ChangeBackingFile(top, flat, DiskFormat.Raw);

        string info = QemuImg.Ok("info", top);
        Assert.Contains($"backing file: {flat}", info);
        Assert.Contains("backing file format: raw", info);
        QemuImg.AssertConsistent(top);
        Assert.Equal(expected, QemuImg.ContentOf(top));
    }

    [SkippableFact]
    public void A_Longer_Name_Fits_And_An_Image_Made_By_Qemu_Img_Keeps_Its_Other_Extensions()
    {
        QemuImg.SkipUnlessAvailable();
        string backing = _folder.Raw("b.raw", Disk.Random(1 << 20, seed: 42));
        string overlay = _folder.Path("o.qcow2");
        QemuImg.Ok("create", "-f", "qcow2", "-o", "compat=1.1", "-b", backing, "-F", "raw", overlay);
        QemuImg.Io(overlay, "write -P 0x63 4k 8k");
        string renamed = _folder.Path(new string('n', 200) + ".img");
        File.Copy(backing, renamed);

        Qcow2Image.ChangeBackingFile(overlay, renamed, DiskFormat.Raw);

        QemuImg.AssertConsistent(overlay);
        Assert.Contains($"backing file: {renamed}", QemuImg.Ok("info", overlay));
        byte[] expected = File.ReadAllBytes(backing);
        expected.AsSpan(4096, 8192).Fill(0x63);
        Assert.Equal(expected, QemuImg.ContentOf(overlay));
    }

    [Fact]
    public void An_Image_Without_A_Backing_File_Is_Refused()
    {
        string image = _folder.Path("alone.qcow2");
        Qcow2Image.Create(image, 1 << 20);

        Assert.Contains("has no backing file to replace",
            Assert.Throws<DiskException>(() => Qcow2Image.ChangeBackingFile(image, _folder.Path("x.raw"), DiskFormat.Raw)).Message);
    }
}
