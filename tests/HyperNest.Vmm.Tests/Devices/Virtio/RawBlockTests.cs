namespace HyperNest.Vmm.Tests.Devices.Virtio;

/// <summary>virtio-blk over a raw image with a partial sector at its end (not exposed).</summary>
public sealed class RawBlockTests : BlockTests
{
    private protected override ITestDisk CreateImage(long sectors) => new TempDiskImage((sectors * 512) + 100);
}
