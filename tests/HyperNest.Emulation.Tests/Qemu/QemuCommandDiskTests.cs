using HyperNest.Emulation.Qemu;

namespace HyperNest.Emulation.Tests.Qemu;

/// <summary>
/// How the emulated host gets its disks: each a virtio-blk device with the serial hnest-&lt;name&gt;, opened by QEMU in
/// the image's own format (a qcow2 overlay with its backing chain; inside the emulated host every disk is raw), a
/// read-only one read-only.
/// </summary>
public sealed class QemuCommandDiskTests
{
    [Fact]
    public void Each_Disk_Is_Opened_In_Its_Format_With_Its_Serial()
    {
        IReadOnlyList<string> arguments = QemuCommand.For("k", "i", 512, 1, ["a", "b", "c"],
            [EmulatedHostDisk.Disk(0, "/v/base.img", readOnly: false), EmulatedHostDisk.Disk(1, "/v/over.qcow2", readOnly: true, "qcow2"),
             new EmulatedHostDisk("save", "/v/save-area.memory", ReadOnly: false)],
            []);

        string[] drives = [.. arguments.Where((_, i) => i > 0 && arguments[i - 1] == "-drive")];
        string[] devices = [.. arguments.Where((a, i) => i > 0 && arguments[i - 1] == "-device" && a.StartsWith("virtio-blk", StringComparison.Ordinal))];

        Assert.Equal(3, drives.Length);
        Assert.Contains("id=disk0,file=/v/base.img,format=raw,", drives[0]);
        Assert.Contains("id=disk1,file=/v/over.qcow2,format=qcow2,", drives[1]);
        Assert.EndsWith(",readonly=on", drives[1]);
        Assert.Contains("id=save,file=/v/save-area.memory,format=raw,", drives[2]);
        Assert.Equal(["virtio-blk-device,drive=disk0,serial=hnest-disk0", "virtio-blk-device,drive=disk1,serial=hnest-disk1", "virtio-blk-device,drive=save,serial=hnest-save"], devices);
        Assert.Equal("/hnest/save", new EmulatedHostDisk("save", "/x", false).InnerPath);
    }
}
