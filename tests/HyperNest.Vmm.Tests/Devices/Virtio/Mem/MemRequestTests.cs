using static HyperNest.Vmm.Tests.Devices.Virtio.MemRig;

namespace HyperNest.Vmm.Tests.Devices.Virtio;

/// <summary>The guest-request queue of virtio-mem (virtio 1.2 §5.15.6): PLUG, UNPLUG, UNPLUG ALL and STATE.</summary>
public sealed class MemRequestTests : IDisposable
{
    private readonly MemRig _rig = new MemRig(requestedSize: 64 * MiB).Start();

    public void Dispose() => _rig.Dispose();

    /// <summary>Requests whose address range is wrong, for every request type that names one.</summary>
    public static TheoryData<ushort, ulong, ushort> InvalidRanges
    {
        get
        {
            var data = new TheoryData<ushort, ulong, ushort>();
            foreach (ushort type in (ushort[])[Plug, Unplug, State])
            {
                ulong start = 4UL << 30, end = start + RegionSize;
                data.Add(type, start + 4096, 1); // not aligned to block_size
                data.Add(type, start + MiB, 1); // aligned to 1 MiB only
                data.Add(type, start, 0); // nb_blocks is not greater than 0
                data.Add(type, start - BlockBytes, 1); // below the region
                data.Add(type, end, 1); // just past the end
                data.Add(type, end - BlockBytes, 2); // runs past the end
                data.Add(type, 0, 1); // boot RAM
                data.Add(type, ulong.MaxValue - BlockBytes + 1, 2); // aligned, and address + size wraps around
                data.Add(type, start, ushort.MaxValue); // 128 GiB from the start: beyond the region
            }

            return data;
        }
    }

    [Fact]
    public void Plug_Acks_Marks_The_Blocks_Plugged_And_Plugged_Size_Follows()
    {
        var response = _rig.Send(Plug, _rig.BlockAddress(4), 3);

        Assert.Equal((Ack, 10u), (response.Type, response.Used));
        Assert.Equal(3 * BlockBytes, _rig.ReadConfig(ConfigPluggedSize));
        Assert.Equal(3 * BlockBytes, _rig.Device.PluggedSize);
        Assert.Equal(3UL, _rig.Region.CountPlugged(4, 3));
        Assert.Equal(0UL, _rig.Region.CountPlugged(0, 4) + _rig.Region.CountPlugged(7, 121));
    }

    [Fact]
    public void Plugged_Blocks_Become_Reachable_By_Devices_And_Unplugged_Ones_Stop_Being()
    {
        ulong address = _rig.BlockAddress(2);
        Assert.False(_rig.Memory.IsValid(address, 8));

        _rig.Send(Plug, address, 1);
        _rig.Memory.Write(address, 42UL);
        Assert.Equal(42UL, _rig.Memory.Read<ulong>(address));

        _rig.Send(Unplug, address, 1);
        Assert.False(_rig.Memory.TryGetSpan(address, 8, out _));
    }

    [Fact]
    public void Plug_Changes_No_Configuration_Interrupt()
    {
        uint before = _rig.Driver.Read(MmioRegisters.ConfigGeneration);

        _rig.Send(Plug, _rig.BlockAddress(0), 1);

        // §5.15.4: the device SHOULD NOT send a configuration update notification when plugged_size changes.
        Assert.Equal(1u, _rig.Driver.Read(MmioRegisters.InterruptStatus)); // bit 0 alone: a used buffer
        Assert.Equal(before, _rig.Driver.Read(MmioRegisters.ConfigGeneration));
    }

    [Theory]
    [MemberData(nameof(InvalidRanges))]
    public void Requests_For_A_Range_That_Is_Misaligned_Empty_Or_Outside_The_Usable_Region_Get_Error(ushort type, ulong address, ushort blocks)
    {
        // Nothing plugged for PLUG, everything for UNPLUG and STATE: the range alone must be the reason.
        if (type != Plug)
        {
            _rig.Region.Plug(0, _rig.Region.BlockCount);
        }

        ulong plugged = _rig.Region.PluggedBlocks;

        var response = _rig.Send(type, address, blocks);

        Assert.Equal((Error, 10u), (response.Type, response.Used));
        Assert.Equal(plugged, _rig.Region.PluggedBlocks);
    }

    [Theory]
    [InlineData(4, 1)] // exactly the plugged block
    [InlineData(3, 2)] // overlaps it from below
    [InlineData(4, 8)] // overlaps it from the start
    public void Plug_Of_A_Range_With_Any_Plugged_Block_Gets_Error_And_Changes_Nothing(ulong first, ushort blocks)
    {
        _rig.Send(Plug, _rig.BlockAddress(4), 1);

        var response = _rig.Send(Plug, _rig.BlockAddress(first), blocks);

        Assert.Equal(Error, response.Type);
        Assert.Equal(BlockBytes, _rig.Device.PluggedSize);
        Assert.Equal(0UL, _rig.Region.CountPlugged(3, 1) + _rig.Region.CountPlugged(5, 7));
    }

    [Fact]
    public void Plug_Up_To_The_Requested_Size_Is_Acked_And_Beyond_It_Nacked()
    {
        // requested_size is 64 MiB: 32 blocks.
        Assert.Equal(Ack, _rig.Send(Plug, _rig.BlockAddress(0), 30).Type);

        Assert.Equal(Nack, _rig.Send(Plug, _rig.BlockAddress(30), 3).Type);
        Assert.Equal(30 * BlockBytes, _rig.Device.PluggedSize);
        Assert.Equal(0UL, _rig.Region.CountPlugged(30, 3));

        Assert.Equal(Ack, _rig.Send(Plug, _rig.BlockAddress(30), 2).Type);
        Assert.Equal(64 * MiB, _rig.ReadConfig(ConfigPluggedSize));
        Assert.Equal(Nack, _rig.Send(Plug, _rig.BlockAddress(32), 1).Type);
    }

    [Fact]
    public void Plug_With_Nothing_Requested_Is_Nacked()
    {
        using MemRig rig = new MemRig(requestedSize: 0).Start();

        Assert.Equal(Nack, rig.Send(Plug, rig.BlockAddress(0), 1).Type);
        Assert.Equal(0UL, rig.Device.PluggedSize);
    }

    [Fact]
    public void Unplug_Acks_Unmarks_The_Blocks_And_Plugged_Size_Follows()
    {
        _rig.Send(Plug, _rig.BlockAddress(10), 4);

        var response = _rig.Send(Unplug, _rig.BlockAddress(11), 2);

        Assert.Equal((Ack, 10u), (response.Type, response.Used));
        Assert.Equal(2 * BlockBytes, _rig.ReadConfig(ConfigPluggedSize));
        Assert.Equal(1UL, _rig.Region.CountPlugged(10, 1));
        Assert.Equal(0UL, _rig.Region.CountPlugged(11, 2));
        Assert.Equal(1UL, _rig.Region.CountPlugged(13, 1));
    }

    [Fact]
    public void Unplug_Returns_The_Blocks_Memory_To_The_Host()
    {
        ulong address = _rig.BlockAddress(6);
        _rig.Send(Plug, address, 1);
        _rig.Memory.GetSpan(address, 4096).Fill(0x77);

        _rig.Send(Unplug, address, 1);
        _rig.Send(Plug, address, 1);

        Assert.True(_rig.Memory.GetSpan(address, 4096).IndexOfAnyExcept((byte)0) < 0);
    }

    [Theory]
    [InlineData(8, 1)] // unplugged
    [InlineData(5, 2)] // mixed: one plugged, one not
    public void Unplug_Of_A_Range_With_Any_Unplugged_Block_Gets_Error_And_Changes_Nothing(ulong first, ushort blocks)
    {
        _rig.Send(Plug, _rig.BlockAddress(4), 2);
        _rig.Memory.Write(_rig.BlockAddress(5), 0x55UL);

        var response = _rig.Send(Unplug, _rig.BlockAddress(first), blocks);

        Assert.Equal(Error, response.Type);
        Assert.Equal(2 * BlockBytes, _rig.Device.PluggedSize);
        Assert.Equal(0x55UL, _rig.Memory.Read<ulong>(_rig.BlockAddress(5)));
    }

    [Fact]
    public void Unplug_Is_Allowed_Below_The_Requested_Size()
    {
        _rig.Send(Plug, _rig.BlockAddress(0), 2);

        Assert.Equal(Ack, _rig.Send(Unplug, _rig.BlockAddress(0), 2).Type);
        Assert.Equal(0UL, _rig.Device.PluggedSize);
    }

    [Fact]
    public void UnplugAll_Acks_Unplugs_Everything_And_Returns_The_Memory()
    {
        _rig.Send(Plug, _rig.BlockAddress(0), 2);
        _rig.Send(Plug, _rig.BlockAddress(20), 3);
        _rig.Memory.Write(_rig.BlockAddress(21), 0x99UL);

        var response = _rig.Send(UnplugAll);

        Assert.Equal((Ack, 10u), (response.Type, response.Used));
        Assert.Equal(0UL, _rig.ReadConfig(ConfigPluggedSize));
        Assert.Equal(0UL, _rig.Region.PluggedBlocks);
        Assert.False(_rig.Memory.IsValid(_rig.BlockAddress(21), 8));
        _rig.Region.Plug(21, 1);
        Assert.Equal(0UL, _rig.Memory.Read<ulong>(_rig.BlockAddress(21)));
    }

    [Fact]
    public void UnplugAll_Ignores_Everything_But_The_Type_And_Succeeds_With_Nothing_Plugged()
    {
        // §5.15.6.4: only the request type is relevant.
        var response = _rig.Send(UnplugAll, address: 12345, blocks: 7, garbageInPadding: true);

        Assert.Equal(Ack, response.Type);
        Assert.Equal(0UL, _rig.Device.PluggedSize);
    }

    [Fact]
    public void UnplugAll_Leaves_The_Usable_Region_As_It_Is()
    {
        _rig.Send(UnplugAll);

        Assert.Equal(RegionSize, _rig.ReadConfig(ConfigUsableRegionSize));
    }

    [Fact]
    public void State_Reports_Plugged_Unplugged_Or_Mixed()
    {
        _rig.Send(Plug, _rig.BlockAddress(4), 2);

        Assert.Equal((Ack, StatePlugged, 10u), _rig.Send(State, _rig.BlockAddress(4), 2));
        Assert.Equal((Ack, StatePlugged, 10u), _rig.Send(State, _rig.BlockAddress(5), 1));
        Assert.Equal((Ack, StateUnplugged, 10u), _rig.Send(State, _rig.BlockAddress(6), 10));
        Assert.Equal((Ack, StateMixed, 10u), _rig.Send(State, _rig.BlockAddress(3), 2));
        Assert.Equal((Ack, StateMixed, 10u), _rig.Send(State, _rig.BlockAddress(0), 128));
    }

    [Fact]
    public void Padding_In_A_Request_Is_Ignored()
    {
        Assert.Equal(Ack, _rig.Send(Plug, _rig.BlockAddress(1), 1, garbageInPadding: true).Type);
        Assert.Equal(Ack, _rig.Send(Unplug, _rig.BlockAddress(1), 1, garbageInPadding: true).Type);
        Assert.Equal((Ack, StateUnplugged, 10u), _rig.Send(State, _rig.BlockAddress(1), 1, garbageInPadding: true));
    }

    [Fact]
    public void A_Response_Is_10_Bytes_With_Zero_Padding()
    {
        _rig.Send(Plug, _rig.BlockAddress(1), 1);

        byte[] response = _rig.Memory.GetSpan(ResponseBuffer, 12).ToArray();

        Assert.Equal(new byte[10], response[..10]);
        Assert.Equal(0xCC, response[10]); // nothing written past the response
    }

    [Theory]
    [InlineData(4)]
    [InlineData(0xFFFF)]
    public void An_Unknown_Request_Type_Gets_Error(ushort type)
    {
        Assert.Equal((Error, 10u), (_rig.Send(type, _rig.BlockAddress(0), 1).Type, _rig.Send(type).Used));
        Assert.Equal(0UL, _rig.Device.PluggedSize);
    }

    [Theory]
    [InlineData(23, 10)] // a request one byte short
    [InlineData(24, 9)] // no room for the whole response
    public void A_Chain_Too_Short_For_Request_Or_Response_Is_Returned_Unanswered_And_Does_Nothing(int requestLength, uint responseLength)
    {
        var response = _rig.SendRaw(_rig.PlugRequest(0)[..requestLength], Segment.Out(ResponseBuffer, responseLength));

        Assert.Equal((0u, (ushort)0xCCCC), (response.Used, response.Type));
        Assert.Equal(0UL, _rig.Device.PluggedSize);
    }

    [Fact]
    public void A_Request_Split_Across_Descriptors_Is_Read_Whole()
    {
        byte[] request = _rig.PlugRequest(3);
        _rig.Memory.Write(RequestBuffer, request.AsSpan(0, 10));
        _rig.Memory.Write(RequestBuffer + 0x800, request.AsSpan(10));

        ushort head = _rig.Queue.AddChain(
            Segment.In(RequestBuffer, 10), Segment.In(RequestBuffer + 0x800, 14), Segment.Out(ResponseBuffer, 4), Segment.Out(ResponseBuffer + 4, 6));
        _rig.Queue.UsedEvent = _rig.Queue.UsedIndex;
        _rig.Driver.Notify(0);

        Assert.Equal(BlockBytes, _rig.Device.PluggedSize);
        Assert.Equal(Ack, _rig.Memory.Read<ushort>(ResponseBuffer));
        Assert.Equal((head, 10u), _rig.Queue.Used(_rig.Queue.UsedIndex - 1));
    }

    [Fact]
    public void A_Chain_Whose_Buffers_Are_Not_Ram_Is_Returned_Unanswered()
    {
        // The response buffer lies in an unplugged block of the region: not RAM for a device.
        var response = _rig.SendRaw(_rig.PlugRequest(0), Segment.Out(_rig.BlockAddress(100), 10));

        Assert.Equal(0u, response.Used);
        Assert.Equal(0UL, _rig.Device.PluggedSize);
        Assert.Equal(0u, _rig.Driver.Status & MmioRegisters.DeviceNeedsReset);
    }
}
