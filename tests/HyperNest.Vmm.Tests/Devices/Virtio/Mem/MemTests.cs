using HyperNest.Vmm.Devices.Virtio;
using static HyperNest.Vmm.Tests.Devices.Virtio.MemRig;
using static HyperNest.Vmm.Tests.Devices.Virtio.MmioRegisters;

namespace HyperNest.Vmm.Tests.Devices.Virtio;

/// <summary>virtio-mem's identity, configuration space (virtio 1.2 §5.15.4) and host-side controls.</summary>
public sealed class MemTests : IDisposable
{
    private readonly MemRig _rig = new(requestedSize: 32 * MiB);

    public void Dispose() => _rig.Dispose();

    [Fact]
    public void Is_A_Memory_Device_With_One_Queue_Offering_Unplugged_Inaccessible()
    {
        Assert.Equal(24u, _rig.Driver.Read(DeviceId));
        Assert.Equal(Version1 | IndirectDescriptors | EventIndex | UnpluggedInaccessible, _rig.Driver.DeviceFeatures);
        Assert.Equal(1, _rig.Device.QueueCount);
        _rig.Driver.Write(QueueSel, 1);
        Assert.Equal(0u, _rig.Driver.Read(QueueNumMax));
    }

    [Fact]
    public void Config_Space_Holds_The_Fields_At_The_Spec_Offsets()
    {
        _rig.Start();
        _rig.Send(Plug, _rig.BlockAddress(0), 3);

        Assert.Equal(BlockBytes, _rig.ReadConfig(ConfigBlockSize));
        Assert.Equal(0UL, _rig.ReadConfig(ConfigNodeId)); // node_id and the 6 padding bytes
        Assert.Equal(4UL << 30, _rig.ReadConfig(ConfigAddress));
        Assert.Equal(RegionSize, _rig.ReadConfig(ConfigRegionSize));
        Assert.Equal(RegionSize, _rig.ReadConfig(ConfigUsableRegionSize));
        Assert.Equal(3 * BlockBytes, _rig.ReadConfig(ConfigPluggedSize));
        Assert.Equal(32 * MiB, _rig.ReadConfig(ConfigRequestedSize));
        Assert.Equal(0UL, _rig.ReadConfig(56)); // past struct virtio_mem_config
    }

    [Fact]
    public void Config_Space_Reads_At_Any_Width_And_Offset()
    {
        Span<byte> data = stackalloc byte[8];

        _rig.Transport.Read(Config + ConfigRequestedSize, data);
        Assert.Equal(32 * MiB, BitConverter.ToUInt64(data));

        _rig.Transport.Read(Config + ConfigAddress + 4, data[..1]);
        Assert.Equal(1, data[0]); // bit 32 of 4 GiB

        _rig.Transport.Read(Config + ConfigBlockSize + 2, data[..2]);
        Assert.Equal(0x20, data[0]); // bits 16-23 of 2 MiB
    }

    [Fact]
    public void Config_Space_Is_Read_Only()
    {
        _rig.Driver.Write(Config + ConfigRequestedSize, 0x1234);
        _rig.Driver.Write(Config + ConfigBlockSize, 0x1000);

        Assert.Equal(32 * MiB, _rig.ReadConfig(ConfigRequestedSize));
        Assert.Equal(BlockBytes, _rig.ReadConfig(ConfigBlockSize));
    }

    [Fact]
    public void Host_Sees_Region_Block_Requested_And_Plugged_Sizes()
    {
        _rig.Start();
        _rig.Send(Plug, _rig.BlockAddress(7), 2);

        Assert.Equal(RegionSize, _rig.Device.RegionSize);
        Assert.Equal(BlockBytes, _rig.Device.BlockSize);
        Assert.Equal(32 * MiB, _rig.Device.RequestedSize);
        Assert.Equal(2 * BlockBytes, _rig.Device.PluggedSize);
    }

    [Fact]
    public void DriverReady_Follows_DriverOk_And_Reset()
    {
        Assert.False(_rig.Device.DriverReady);

        _rig.Start();
        Assert.True(_rig.Device.DriverReady);

        _rig.Driver.Write(Status, 0);
        Assert.False(_rig.Device.DriverReady);
    }

    [Fact]
    public void SetRequestedSize_Changes_The_Field_Bumps_The_Generation_And_Interrupts_The_Driver()
    {
        _rig.Start();
        uint generation = _rig.Driver.Read(ConfigGeneration);

        _rig.Device.SetRequestedSize(128 * MiB);

        Assert.Equal(128 * MiB, _rig.ReadConfig(ConfigRequestedSize));
        Assert.Equal(128 * MiB, _rig.Device.RequestedSize);
        Assert.Equal(generation + 1, _rig.Driver.Read(ConfigGeneration));
        Assert.Equal(2u, _rig.Driver.Read(InterruptStatus)); // bit 1: configuration change
        Assert.Equal(1, _rig.Interrupt.Count);
    }

    [Fact]
    public void SetRequestedSize_To_The_Same_Size_Changes_Nothing()
    {
        _rig.Start();
        uint generation = _rig.Driver.Read(ConfigGeneration);

        _rig.Device.SetRequestedSize(32 * MiB);
        _rig.Device.SetRequestedSize((32 * MiB) - 4096); // rounds up to the same 16 blocks

        Assert.Equal(generation, _rig.Driver.Read(ConfigGeneration));
        Assert.Equal(0, _rig.Interrupt.Count);
    }

    [Theory]
    [InlineData(1UL, 2UL << 20)]
    [InlineData((3UL << 20) + 1, 4UL << 20)]
    [InlineData(0UL, 0UL)]
    [InlineData(256UL << 20, 256UL << 20)]
    public void SetRequestedSize_Rounds_Up_To_Whole_Blocks(ulong bytes, ulong expected)
    {
        _rig.Device.SetRequestedSize(bytes);

        Assert.Equal(expected, _rig.Device.RequestedSize);
        Assert.Equal(expected, _rig.ReadConfig(ConfigRequestedSize));
    }

    [Theory]
    [InlineData((256UL << 20) + 1)]
    [InlineData(ulong.MaxValue)]
    public void SetRequestedSize_Beyond_The_Region_Is_Refused_And_Changes_Nothing(ulong bytes)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => _rig.Device.SetRequestedSize(bytes));

        Assert.Contains("256 MiB", error.Message, StringComparison.Ordinal);
        Assert.Equal(32 * MiB, _rig.Device.RequestedSize);
    }

    [Fact]
    public void SetRequestedSize_Before_The_Driver_Runs_Is_Read_At_Probe_Without_An_Interrupt()
    {
        _rig.Device.SetRequestedSize(64 * MiB);

        Assert.Equal(0, _rig.Interrupt.Count);
        _rig.Start();
        Assert.Equal(64 * MiB, _rig.ReadConfig(ConfigRequestedSize));
    }

    [Fact]
    public void Lowering_The_Requested_Size_Below_The_Plugged_Size_Nacks_Plugs_And_Still_Allows_Unplugs()
    {
        _rig.Start();
        _rig.Send(Plug, _rig.BlockAddress(0), 8);

        _rig.Device.SetRequestedSize(4 * MiB);

        Assert.Equal(Nack, _rig.Send(Plug, _rig.BlockAddress(8), 1).Type);
        Assert.Equal(Ack, _rig.Send(Unplug, _rig.BlockAddress(2), 6).Type);
        Assert.Equal(4 * MiB, _rig.Device.PluggedSize);
    }

    [Fact]
    public void A_Device_Reset_Keeps_The_Plugged_Blocks_And_Their_Contents()
    {
        _rig.Start();
        _rig.Send(Plug, _rig.BlockAddress(1), 2);
        _rig.Memory.Write(_rig.BlockAddress(2), 0xABCDUL);

        _rig.Driver.Write(Status, 0);

        // §5.15.5: the device MUST NOT change the state of memory blocks during device reset; the driver finds
        // plugged_size > 0 when it probes again and unplugs all.
        Assert.Equal(2 * BlockBytes, _rig.ReadConfig(ConfigPluggedSize));
        Assert.Equal(0xABCDUL, _rig.Memory.Read<ulong>(_rig.BlockAddress(2)));
        _rig.Start();
        Assert.Equal(Ack, _rig.Send(UnplugAll).Type);
        Assert.Equal(0UL, _rig.ReadConfig(ConfigPluggedSize));
    }

    [Fact]
    public void The_Initial_Requested_Size_Is_Rounded_And_Checked_Like_A_Later_One()
    {
        using var memory = new HyperNest.Vmm.Memory.GuestMemory(16 * MiB, RegionSize);

        Assert.Equal(2 * MiB, new Mem(memory.Hotplug!, 1).RequestedSize);
        Assert.Throws<ArgumentOutOfRangeException>(() => new Mem(memory.Hotplug!, RegionSize + BlockBytes));
    }

    [Fact]
    public void Without_A_Transport_SetRequestedSize_Still_Takes_Effect()
    {
        using var memory = new HyperNest.Vmm.Memory.GuestMemory(16 * MiB, RegionSize);
        var device = new Mem(memory.Hotplug!);

        device.SetRequestedSize(8 * MiB);

        Assert.Equal(8 * MiB, device.RequestedSize);
    }

    [Fact]
    public void SetRequestedSize_From_Another_Thread_Interleaves_Safely_With_Requests()
    {
        _rig.Start();
        bool stop = false;
        var host = new Thread(() =>
        {
            for (ulong i = 0; !Volatile.Read(ref stop); i++)
            {
                _rig.Device.SetRequestedSize((i % 2 == 0 ? 16UL : 64UL) * MiB);
            }
        });
        host.Start();

        // Plugged size never exceeds the largest requested size, and every answer is one of the spec's.
        for (int i = 0; i < 200; i++)
        {
            ushort type = _rig.Send(i % 2 == 0 ? Plug : Unplug, _rig.BlockAddress((ulong)(i / 2 % 32)), 1).Type;
            Assert.Contains(type, (ushort[])[Ack, Nack, Error]);
            Assert.InRange(_rig.Device.PluggedSize, 0UL, 64 * MiB);
        }

        Volatile.Write(ref stop, true);
        host.Join();
    }
}
