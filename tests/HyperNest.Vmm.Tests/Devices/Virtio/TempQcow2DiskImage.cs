using HyperNest.Vmm.Tests.Disks;

namespace HyperNest.Vmm.Tests.Devices.Virtio;

/// <summary>
/// A qcow2 image made by qemu-img from a <see cref="TempDiskImage"/> of whole sectors (so byte i is
/// <see cref="TempDiskImage.PatternAt"/>(i)); its content is read back through qemu-img convert. Skips the test when
/// qemu-img is missing.
/// </summary>
internal sealed class TempQcow2DiskImage : ITestDisk
{
    private readonly TempFolder _folder = new();

    public TempQcow2DiskImage(long sectors)
    {
        QemuImg.SkipUnlessAvailable();
        using var raw = new TempDiskImage(sectors * 512);
        Path = _folder.Path("disk.qcow2");
        QemuImg.Ok("convert", "-f", "raw", "-O", "qcow2", raw.Path, Path);
    }

    public string Path { get; }

    public byte[] Read(long offset, int length) => QemuImg.ContentOf(Path)[(int)offset..(int)(offset + length)];

    public void Dispose() => _folder.Dispose();
}
