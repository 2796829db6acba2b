using static HyperNest.Vmm.Tests.Devices.Virtio.MmioRegisters;

namespace HyperNest.Vmm.Tests.Devices.Virtio;

public sealed class NetReceiveTests
{
    private const ulong Buffers = 0x100000;
    private const ulong MrgRxbuf = 1UL << 15;

    private static ulong BufferAt(int index) => Buffers + ((ulong)index * 0x10000);

    /// <summary>A frame as a TAP hands it over: a header of zeros, then <paramref name="length"/> bytes to the guest.</summary>
    private static byte[] Framed(int length, byte seed = 1) => [.. Frames.Header(), .. Frames.Ethernet(length, NetRig.Mac, seed)];

    /// <summary>
    /// Delivers two frames: the first fails in the first chain posted (returned with nothing written, counted), the
    /// second arrives whole in the chain at <paramref name="secondHead"/>, whose buffer is <paramref name="secondBuffer"/>.
    /// </summary>
    private static void AssertOnlyTheFirstFrameFails(NetRig rig, ushort secondHead, ulong secondBuffer, int length = 60)
    {
        rig.Backend.Deliver(Framed(length, 1), Framed(length, 2));

        rig.WaitForReceiveUsed(2);
        Assert.Equal((0u, 0u), rig.Receive.Used(0));
        Assert.Equal((secondHead, (uint)(12 + length)), rig.Receive.Used(1));
        Assert.Equal(Frames.Ethernet(length, NetRig.Mac, 2), rig.Memory.GetSpan(secondBuffer + 12, length).ToArray());
        Assert.Equal(1, rig.Device.ReceiveDropped);
        Assert.Equal(0u, rig.Driver.Read(Status) & DeviceNeedsReset);
    }

    [Fact]
    public void A_Frame_Goes_Into_One_Buffer_Behind_The_Backends_Header_With_Num_Buffers_1()
    {
        using var rig = new NetRig().Start(accept: ~MrgRxbuf);
        byte[] frame = Frames.Ethernet(1514, NetRig.Mac);
        rig.PostReceiveBuffers([Segment.Out(BufferAt(0), 12 + 1514 + 100)]);

        rig.Backend.Deliver([.. Frames.Header(flags: 1, csumStart: 34, csumOffset: 16, numBuffers: 0xBEEF), .. frame]);

        rig.WaitForReceiveUsed(1);
        Assert.Equal((uint)(12 + 1514), rig.Receive.Used(0).Length);
        Assert.Equal(Frames.Header(flags: 1, csumStart: 34, csumOffset: 16, numBuffers: 1), rig.Memory.GetSpan(BufferAt(0), 12).ToArray());
        Assert.Equal(frame, rig.Memory.GetSpan(BufferAt(0) + 12, 1514).ToArray());
        Assert.Equal(1, rig.Device.ReceivedFrames);
        Assert.Equal(1514, rig.Device.ReceivedBytes);
        Assert.True(rig.Interrupt.Count >= 1);
    }

    [Fact]
    public void Without_A_Vnet_Header_The_Guest_Gets_A_Header_Of_Zeros()
    {
        using var rig = new NetRig(hasVnetHeader: false).Start(accept: ~MrgRxbuf);
        rig.Memory.GetSpan(BufferAt(0), 12).Fill(0xEE);
        rig.PostReceiveBuffers([Segment.Out(BufferAt(0), 2048)]);

        rig.Backend.Deliver(Frames.Ethernet(60, NetRig.Mac));

        rig.WaitForReceiveUsed(1);
        Assert.Equal(72u, rig.Receive.Used(0).Length);
        Assert.Equal(Frames.Header(numBuffers: 1), rig.Memory.GetSpan(BufferAt(0), 12).ToArray());
        Assert.Equal(Frames.Ethernet(60, NetRig.Mac), rig.Memory.GetSpan(BufferAt(0) + 12, 60).ToArray());
    }

    [Fact]
    public void With_Mergeable_Buffers_A_Frame_Spans_Several_And_Num_Buffers_Counts_Them()
    {
        using var rig = new NetRig().Start();
        byte[] frame = Frames.Ethernet(3000, NetRig.Mac);
        rig.PostReceiveBuffers(
            [Segment.Out(BufferAt(0), 1024)], [Segment.Out(BufferAt(1), 1024)], [Segment.Out(BufferAt(2), 1024)], [Segment.Out(BufferAt(3), 1024)]);

        rig.Backend.Deliver([.. Frames.Header(), .. frame]);

        rig.WaitForReceiveUsed(3);
        Assert.Equal((0u, 1024u), rig.Receive.Used(0));
        Assert.Equal((1u, 1024u), rig.Receive.Used(1));
        Assert.Equal((2u, 3012u - 2048u), rig.Receive.Used(2));
        Assert.Equal(Frames.Header(numBuffers: 3), rig.Memory.GetSpan(BufferAt(0), 12).ToArray());
        byte[] received = [.. rig.Memory.GetSpan(BufferAt(0) + 12, 1012), .. rig.Memory.GetSpan(BufferAt(1), 1024), .. rig.Memory.GetSpan(BufferAt(2), 964)];
        Assert.Equal(frame, received);
    }

    [Fact]
    public void With_Mergeable_Buffers_Num_Buffers_May_Straddle_Two_Descriptors()
    {
        using var rig = new NetRig().Start();
        rig.PostReceiveBuffers([Segment.Out(BufferAt(0), 11), Segment.Out(BufferAt(1), 50)], [Segment.Out(BufferAt(2), 100)]);

        rig.Backend.Deliver(Framed(100));

        rig.WaitForReceiveUsed(2);
        Assert.Equal(2, rig.Memory.Read<byte>(BufferAt(0) + 10));
        Assert.Equal(0, rig.Memory.Read<byte>(BufferAt(1)));
        Assert.Equal(61u, rig.Receive.Used(0).Length);
    }

    [Fact]
    public void With_No_Buffers_A_Frame_Waits_Without_Spinning_Then_Arrives_When_The_Driver_Adds_Some()
    {
        using var rig = new NetRig().Start();
        byte[] frame = Frames.Ethernet(3000, NetRig.Mac);
        rig.Backend.Deliver([.. Frames.Header(), .. frame]);
        Thread.Sleep(100);
        int readsWhileWaiting = rig.Backend.Reads;

        // Not enough room yet: the frame waits whole, the buffer is not used.
        rig.PostReceiveBuffers([Segment.Out(BufferAt(0), 2048)]);
        Thread.Sleep(100);
        Assert.Equal(0, rig.Receive.UsedIndex);

        rig.PostReceiveBuffers([Segment.Out(BufferAt(1), 2048)]);

        rig.WaitForReceiveUsed(2);
        Assert.InRange(readsWhileWaiting, 1, 2);
        Assert.InRange(rig.Backend.Reads, readsWhileWaiting, readsWhileWaiting + 4);
        Assert.Equal(frame[..(2048 - 12)], rig.Memory.GetSpan(BufferAt(0) + 12, 2048 - 12).ToArray());
    }

    [Fact]
    public void Frames_Arriving_While_Buffers_Wait_Are_Delivered_In_Order()
    {
        using var rig = new NetRig().Start();
        rig.PostReceiveBuffers([.. Enumerable.Range(0, 8).Select(i => new[] { Segment.Out(BufferAt(i), 2048) })]);

        for (byte seed = 1; seed <= 5; seed++)
        {
            rig.Backend.Deliver(Framed(200, seed));
        }

        rig.WaitForReceiveUsed(5);
        for (int i = 0; i < 5; i++)
        {
            Assert.Equal(Frames.Ethernet(200, NetRig.Mac, (byte)(i + 1)), rig.Memory.GetSpan(BufferAt(i) + 12, 200).ToArray());
        }
    }

    [Fact]
    public void A_Buffer_Outside_Guest_Ram_Fails_That_Frame_Alone()
    {
        using var rig = new NetRig().Start();
        rig.PostReceiveBuffers([Segment.Out(rig.Memory.Size - 100, 2048)], [Segment.Out(BufferAt(1), 2048)]);

        AssertOnlyTheFirstFrameFails(rig, 1, BufferAt(1));
    }

    [Fact]
    public void A_Device_Readable_Descriptor_In_A_Receive_Chain_Fails_That_Frame_Alone()
    {
        using var rig = new NetRig().Start();
        rig.PostReceiveBuffers([Segment.In(BufferAt(0), 16), Segment.Out(BufferAt(0) + 16, 2048)], [Segment.Out(BufferAt(1), 2048)]);

        AssertOnlyTheFirstFrameFails(rig, 2, BufferAt(1));
    }

    [Fact]
    public void Without_Mergeable_Buffers_A_Buffer_Too_Short_For_The_Frame_Fails_That_Frame_Alone()
    {
        using var rig = new NetRig().Start(accept: ~MrgRxbuf);
        rig.PostReceiveBuffers([Segment.Out(BufferAt(0), 100)], [Segment.Out(BufferAt(1), 2048)]);

        AssertOnlyTheFirstFrameFails(rig, 1, BufferAt(1), length: 200);
    }

    [Fact]
    public void With_Mergeable_Buffers_A_First_Buffer_Shorter_Than_The_Header_Fails_That_Frame_Alone()
    {
        using var rig = new NetRig().Start();
        rig.PostReceiveBuffers([Segment.Out(BufferAt(0), 8)], [Segment.Out(BufferAt(1), 2048)]);

        AssertOnlyTheFirstFrameFails(rig, 1, BufferAt(1));
    }

    [Fact]
    public void A_Descriptor_Loop_Fails_That_Frame_Alone()
    {
        using var rig = new NetRig().Start();
        rig.Receive.WriteDescriptor(0, BufferAt(0), 1024, SplitQueueDriver.Next | SplitQueueDriver.Write, 1);
        rig.Receive.WriteDescriptor(1, BufferAt(1), 1024, SplitQueueDriver.Next | SplitQueueDriver.Write, 0);
        rig.Receive.Publish(0);
        rig.Receive.WriteDescriptor(2, BufferAt(2), 2048, SplitQueueDriver.Write, 0);
        rig.Receive.Publish(2);
        rig.Driver.Notify(0);

        AssertOnlyTheFirstFrameFails(rig, 2, BufferAt(2));
    }

    [Fact]
    public void A_Runt_From_The_Backend_Is_Dropped()
    {
        using var rig = new NetRig().Start();
        rig.PostReceiveBuffers([Segment.Out(BufferAt(0), 2048)]);

        rig.Backend.Deliver([.. Frames.Header(), 1, 2, 3], Framed(60));

        rig.WaitForReceiveUsed(1);
        Assert.Equal(72u, rig.Receive.Used(0).Length);
        Assert.Equal(1, rig.Device.ReceiveDropped);
    }

    [Fact]
    public void A_Failed_Backend_Is_Not_Polled_Again()
    {
        using var rig = new NetRig().Start();
        rig.Backend.Failed = true;
        rig.PostReceiveBuffers([Segment.Out(BufferAt(0), 2048)]);

        rig.Backend.Deliver(Framed(60));
        Thread.Sleep(100);

        Assert.InRange(rig.Backend.Reads, 1, 3);
    }
}
