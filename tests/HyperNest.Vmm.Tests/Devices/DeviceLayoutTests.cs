using HyperNest.Vmm.Devices;

namespace HyperNest.Vmm.Tests.Devices;

/// <summary>
/// Where a VM's virtio devices sit follows from its configuration alone, in a fixed order, so a VM rebuilt from the
/// same configuration (a restore) puts each device where its guest found it.
/// </summary>
public sealed class DeviceLayoutTests
{
    private static readonly VmConfig TwoDisksOneNic = new()
    {
        Disks = [new DiskConfig("/a.img"), new DiskConfig("/b.img")],
        NetworkAdapters = [new NetworkAdapterConfig("eth0", new byte[] { 0x52, 0x54, 0, 0, 0, 1 })],
        AttachRng = true,
        AttachBalloon = true,
        HotplugMemoryBytes = 128UL << 20,
    };

    [Fact]
    public void Disks_Then_Adapters_Then_Entropy_Balloon_And_Hotplug_Memory_Each_With_Its_Window_And_Line()
    {
        DeviceLayout layout = DeviceLayout.For(TwoDisksOneNic);

        Assert.Equal(
            [
                new VirtioSlot(0, "blk", 0, 0xD000_0000, 5),
                new VirtioSlot(1, "blk", 1, 0xD000_1000, 6),
                new VirtioSlot(2, "net", 0, 0xD000_2000, 7),
                new VirtioSlot(3, "rng", 0, 0xD000_3000, 10),
                new VirtioSlot(4, "balloon", 0, 0xD000_4000, 11),
                new VirtioSlot(5, "mem", 0, 0xD000_5000, 12),
            ],
            layout.Virtio);
        Assert.Equal(new VirtioSlot(1, "blk", 1, 0xD000_1000, 6), layout.Slot("blk", 1));
    }

    [Fact]
    public void The_Same_Configuration_Gives_The_Same_Layout() =>
        Assert.Equal(DeviceLayout.For(TwoDisksOneNic).Virtio, DeviceLayout.For(TwoDisksOneNic with { }).Virtio);

    [Fact]
    public void No_Line_Is_The_Power_Buttons_Or_Used_Twice()
    {
        DeviceLayout layout = DeviceLayout.For(TwoDisksOneNic with { Disks = [.. Enumerable.Range(0, 5).Select(i => new DiskConfig($"/{i}.img"))] });

        Assert.Equal(9, layout.Virtio.Count);
        Assert.DoesNotContain(DeviceLayout.GedGsi, layout.Virtio.Select(s => s.Gsi));
        Assert.Equal(layout.Virtio.Count, layout.Virtio.Select(s => s.Gsi).Distinct().Count());
    }

    [Fact]
    public void More_Devices_Than_Free_Lines_Are_Refused_In_The_Users_Words() =>
        Assert.Equal(
            "too many devices: disks, network adapters, the entropy device, the memory balloon and hot-pluggable memory together are at most 9",
            Assert.Throws<VmBuildException>(() => DeviceLayout.For(TwoDisksOneNic with { Disks = [.. Enumerable.Range(0, 6).Select(i => new DiskConfig($"/{i}.img"))] })).Message);
}
