namespace HyperNest.Vmm.Tests.Devices.Virtio;

public sealed class NetTransmitTests
{
    private const ulong Header = 0x100000, Frame = 0x200000;

    private static readonly byte[] Broadcast = [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF];

    [Fact]
    public void A_Frame_In_Several_Descriptors_Reaches_The_Backend_Whole_With_The_Drivers_Header()
    {
        using var rig = new NetRig().Start();
        byte[] header = Frames.Header(flags: 1, gsoType: 1, gsoSize: 1448, csumStart: 34, csumOffset: 16);
        byte[] frame = Frames.Ethernet(1000, Broadcast);
        rig.Memory.Write(Header, header);
        rig.Memory.Write(Frame, frame.AsSpan(0, 300));
        rig.Memory.Write(Frame + 0x1000, frame.AsSpan(300, 200));
        rig.Memory.Write(Frame + 0x2000, frame.AsSpan(500));

        uint used = rig.Send(
            Segment.In(Header, 12), Segment.In(Frame, 300), Segment.In(Frame + 0x1000, 200), Segment.In(Frame + 0x2000, 500));

        Assert.Equal(0u, used);
        Assert.Equal([.. header, .. frame], Assert.Single(rig.Backend.Written));
        Assert.Equal(1, rig.Device.TransmittedFrames);
        Assert.Equal(1, rig.Interrupt.Count);
    }

    [Fact]
    public void Transmitted_Bytes_Count_The_Frames_The_Backend_Took_Without_The_Header()
    {
        using var rig = new NetRig().Start();
        rig.Memory.Write(Header, [.. Frames.Header(), .. Frames.Ethernet(1000, Broadcast)]);
        rig.Send(Segment.In(Header, 12 + 1000));
        rig.Memory.Write(Header, [.. Frames.Header(), .. Frames.Ethernet(60, Broadcast)]);
        rig.Send(Segment.In(Header, 12 + 60));
        rig.Send(Segment.In(Header, 12 + 5));

        Assert.Equal(2, rig.Device.TransmittedFrames);
        Assert.Equal(1060, rig.Device.TransmittedBytes);
    }

    [Fact]
    public void Header_And_Frame_May_Share_A_Descriptor_And_The_Header_May_Be_Split()
    {
        using var rig = new NetRig().Start();
        byte[] frame = Frames.Ethernet(60, Broadcast);
        rig.Memory.Write(Header, [.. Frames.Header(), .. frame]);

        rig.Send(Segment.In(Header, 5), Segment.In(Header + 5, 12 + 60 - 5));

        Assert.Equal([.. Frames.Header(), .. frame], Assert.Single(rig.Backend.Written));
    }

    [Fact]
    public void Without_A_Vnet_Header_The_Backend_Gets_The_Frame_Alone()
    {
        using var rig = new NetRig(hasVnetHeader: false).Start();
        byte[] frame = Frames.Ethernet(60, Broadcast);
        rig.Memory.Write(Header, [.. Frames.Header(), .. frame]);

        rig.Send(Segment.In(Header, 72));

        Assert.Equal(frame, Assert.Single(rig.Backend.Written));
    }

    [Fact]
    public void A_Frame_In_More_Pieces_Than_One_Writev_Takes_Is_Gathered_Into_A_Copy()
    {
        using var rig = new NetRig(queueSize: 128).Start();
        byte[] frame = Frames.Ethernet(100, Broadcast);
        rig.Memory.Write(Header, [.. Frames.Header(), .. frame]);

        // One byte a descriptor: 112 pieces.
        rig.Send([.. Enumerable.Range(0, 112).Select(i => Segment.In(Header + (ulong)i, 1))]);

        Assert.Equal([.. Frames.Header(), .. frame], Assert.Single(rig.Backend.Written));
    }

    [Fact]
    public void A_Write_Only_Descriptor_Fails_That_Frame_Alone()
    {
        using var rig = new NetRig().Start();
        rig.Memory.Write(Header, [.. Frames.Header(), .. Frames.Ethernet(60, Broadcast)]);

        Assert.Equal(0u, rig.Send(Segment.In(Header, 72), Segment.Out(Frame, 64)));
        rig.Send(Segment.In(Header, 72));

        Assert.Single(rig.Backend.Written);
        Assert.Equal(1, rig.Device.TransmitDropped);
        Assert.Equal(1, rig.Device.TransmittedFrames);
    }

    [Fact]
    public void A_Buffer_Outside_Guest_Ram_Fails_That_Frame_Alone()
    {
        using var rig = new NetRig().Start();
        rig.Memory.Write(Header, [.. Frames.Header(), .. Frames.Ethernet(60, Broadcast)]);

        rig.Send(Segment.In(Header, 12), Segment.In(rig.Memory.Size - 16, 60));
        rig.Send(Segment.In(Header, 72));

        Assert.Single(rig.Backend.Written);
        Assert.Equal(1, rig.Device.TransmitDropped);
    }

    [Fact]
    public void A_Descriptor_Loop_Fails_That_Frame_Alone()
    {
        using var rig = new NetRig().Start();
        rig.Memory.Write(Header, [.. Frames.Header(), .. Frames.Ethernet(60, Broadcast)]);
        rig.Transmit.WriteDescriptor(0, Header, 36, SplitQueueDriver.Next, 1);
        rig.Transmit.WriteDescriptor(1, Header + 36, 36, SplitQueueDriver.Next, 0);
        rig.Transmit.Publish(0);
        rig.Driver.Notify(1);

        Assert.Equal(1, rig.Transmit.UsedIndex);
        Assert.Equal((0u, 0u), rig.Transmit.Used(0));
        Assert.Empty(rig.Backend.Written);
        Assert.Equal(1, rig.Device.TransmitDropped);
        Assert.Equal(0u, rig.Driver.Read(MmioRegisters.Status) & MmioRegisters.DeviceNeedsReset);
    }

    [Theory]
    [InlineData(12)] // a header and nothing else
    [InlineData(12 + 13)] // shorter than an Ethernet header
    public void A_Chain_Too_Short_For_A_Frame_Is_Dropped(uint length)
    {
        using var rig = new NetRig().Start();

        rig.Send(Segment.In(Header, length));

        Assert.Empty(rig.Backend.Written);
        Assert.Equal(1, rig.Device.TransmitDropped);
    }

    [Fact]
    public void A_Turn_Sends_At_Most_A_Budget_And_The_Devices_Thread_Sends_The_Rest()
    {
        using var rig = new NetRig(queueSize: 128).Start();
        rig.Memory.Write(Header, [.. Frames.Header(), .. Frames.Ethernet(60, Broadcast)]);
        for (int i = 0; i < 100; i++)
        {
            rig.Transmit.AddChain(Segment.In(Header, 72));
        }

        rig.Driver.Notify(1);

        Assert.True(NetRig.WaitUntil(() => rig.Transmit.UsedIndex == 100));
        Assert.Equal(100, rig.Backend.Written.Count);
    }
}
