using HyperNest.Vmm.Devices.Virtio;
using static HyperNest.Vmm.Tests.Devices.Virtio.MemRig;

namespace HyperNest.Vmm.Tests.Devices.Virtio;

/// <summary>
/// virtio-mem's own state (§5.15): requested_size and the plugged blocks survive a save and a restore onto a device
/// just built over a region of the same size, and the driver reads the same configuration; a state of another region
/// is refused before anything changes.
/// </summary>
public sealed class MemStateTests
{
    [Fact]
    public void Requested_And_Plugged_Sizes_Come_Back_And_Plugged_Blocks_Are_Ram_Again()
    {
        using MemRig saved = new MemRig(64 * MiB).Start();
        Assert.Equal(Ack, saved.Send(Plug, saved.BlockAddress(4), 3).Type);
        MemState state = saved.Device.Save();

        using var fresh = new MemRig(0);
        fresh.Device.Restore(state);

        Assert.Equal(64 * MiB, fresh.ReadConfig(ConfigRequestedSize));
        Assert.Equal(3 * BlockBytes, fresh.ReadConfig(ConfigPluggedSize));
        Assert.True(fresh.Memory.IsValid(fresh.BlockAddress(4), 3 * BlockBytes));
        Assert.False(fresh.Memory.IsValid(fresh.BlockAddress(7), 1));
    }

    [Fact]
    public void A_Requested_Size_Beyond_The_Region_Or_Not_Whole_Blocks_Is_Refused()
    {
        using var rig = new MemRig(0);
        ulong[] none = rig.Region.PluggedBitmap();

        Assert.Throws<InvalidDataException>(() => rig.Device.Restore(new MemState(RegionSize + BlockBytes, none)));
        Assert.Throws<InvalidDataException>(() => rig.Device.Restore(new MemState(MiB, none)));
        Assert.Equal(0UL, rig.ReadConfig(ConfigRequestedSize));
    }
}
