using static HyperNest.Vmm.Tests.Devices.Virtio.BalloonRig;

namespace HyperNest.Vmm.Tests.Devices.Virtio;

/// <summary>
/// inflateq and deflateq (virtio 1.2 §5.5.6): each buffer is an array of le32 page frame numbers of 4 KiB balloon
/// pages. Inflated pages go back to the host; every PFN is checked against guest RAM first.
/// </summary>
public sealed class BalloonInflateTests : IDisposable
{
    private readonly BalloonRig _rig = new BalloonRig().Start();

    public void Dispose() => _rig.Dispose();

    [Fact]
    public void Inflated_Pages_Go_Back_To_The_Host_And_Their_Neighbours_Stay()
    {
        foreach (uint pfn in (uint[])[0x1FF, 0x200, 0x201, 0x202, 0x300])
        {
            _rig.Scribble(pfn);
        }

        uint used = _rig.SendPfns(_rig.Inflate, 0x200, 0x201, 0x300);

        Assert.Equal(0u, used);
        Assert.True(_rig.IsZero(0x200) && _rig.IsZero(0x201) && _rig.IsZero(0x300));
        Assert.True(_rig.Holds(0x1FF) && _rig.Holds(0x202));
        Assert.Equal(3, _rig.Device.Counters.InflatedPages);
    }

    [Fact]
    public void Runs_In_Any_Order_With_Repeats_Are_All_Discarded()
    {
        uint[] pfns = [0x405, 0x404, 0x403, 0x406, 0x410, 0x410, 0x3FF];
        foreach (uint pfn in pfns)
        {
            _rig.Scribble(pfn);
        }

        _rig.Scribble(0x402);
        _rig.Scribble(0x407);

        _rig.SendPfns(_rig.Inflate, pfns);

        Assert.All(pfns, pfn => Assert.True(_rig.IsZero(pfn), $"PFN 0x{pfn:x} still holds its bytes"));
        Assert.True(_rig.Holds(0x402) && _rig.Holds(0x407));
        Assert.Equal(pfns.Length, _rig.Device.Counters.InflatedPages);
    }

    [Fact]
    public void Pfns_Outside_Guest_Ram_Are_Skipped_And_Counted_And_The_Others_Still_Discarded()
    {
        _rig.Scribble(0x200);
        _rig.Scribble(0xFFF);
        uint firstPastRam = (uint)(RamEnd / BalloonPage);

        uint used = _rig.SendPfns(_rig.Inflate, 0x200, firstPastRam, 0xFFFF_FFFF, 0xFFF);

        Assert.Equal(0u, used);
        Assert.True(_rig.IsZero(0x200) && _rig.IsZero(0xFFF));
        Assert.Equal(2, _rig.Device.Counters.InflatedPages);
        Assert.Equal(2, _rig.Device.Counters.RefusedPfns);
    }

    [Fact]
    public void The_Array_May_Be_Split_Anywhere_Across_Descriptors()
    {
        _rig.Memory.Write(PfnArray, 0x200u);
        _rig.Memory.Write(PfnArray + 4, 0x201u);
        _rig.Memory.Write(PfnArray + 8, 0x202u);
        _rig.Scribble(0x200);
        _rig.Scribble(0x201);
        _rig.Scribble(0x202);

        _rig.Complete(_rig.Inflate, Segment.In(PfnArray, 3), Segment.In(PfnArray + 3, 6), Segment.In(PfnArray + 9, 3));

        Assert.True(_rig.IsZero(0x200) && _rig.IsZero(0x201) && _rig.IsZero(0x202));
        Assert.Equal(3, _rig.Device.Counters.InflatedPages);
    }

    [Fact]
    public void A_Trailing_Partial_Pfn_Is_Refused()
    {
        _rig.Memory.Write(PfnArray, 0x200u);
        _rig.Memory.Write(PfnArray + 4, 0x201u);
        _rig.Scribble(0x200);

        _rig.Complete(_rig.Inflate, Segment.In(PfnArray, 6));

        Assert.True(_rig.IsZero(0x200));
        Assert.Equal(1, _rig.Device.Counters.InflatedPages);
        Assert.Equal(1, _rig.Device.Counters.RefusedPfns);
    }

    [Fact]
    public void A_Chain_With_A_Buffer_Outside_Guest_Ram_Is_Returned_Untouched()
    {
        _rig.Memory.Write(PfnArray, 0x200u);
        _rig.Scribble(0x200);

        uint used = _rig.Complete(_rig.Inflate, Segment.In(PfnArray, 4), Segment.In(RamEnd - 2, 4));

        Assert.Equal(0u, used);
        Assert.True(_rig.Holds(0x200));
        Assert.Equal(0, _rig.Device.Counters.InflatedPages);
        Assert.Equal(1, _rig.Device.Counters.RefusedRequests);
    }

    [Fact]
    public void Device_Writable_Buffers_Carry_No_Pfns_And_Are_Left_Alone()
    {
        _rig.Memory.Write(PfnArray, 0x200u);
        _rig.Scribble(0x200);
        _rig.Scribble(0x300);

        uint used = _rig.Complete(_rig.Inflate, Segment.Out(PfnArray, 4), Segment.Out(0x300 * BalloonPage, 4096));

        Assert.Equal(0u, used);
        Assert.True(_rig.Holds(0x200) && _rig.Holds(0x300));
        Assert.Equal(0, _rig.Device.Counters.InflatedPages);
    }

    [Fact]
    public void Deflated_Pages_Are_Counted_And_Not_Touched()
    {
        _rig.SendPfns(_rig.Inflate, 0x200, 0x201);

        // Without VIRTIO_BALLOON_F_MUST_TELL_HOST the guest may reuse the pages before it tells the device.
        _rig.Scribble(0x200);
        uint used = _rig.SendPfns(_rig.Deflate, 0x200, 0x201, 0xFFFF_FFFF);

        Assert.Equal(0u, used);
        Assert.True(_rig.Holds(0x200));
        Assert.Equal(2, _rig.Device.Counters.DeflatedPages);
        Assert.Equal(1, _rig.Device.Counters.RefusedPfns);
    }
}
