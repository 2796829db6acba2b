using static HyperNest.Vmm.Tests.Devices.Virtio.BalloonRig;

namespace HyperNest.Vmm.Tests.Devices.Virtio;

/// <summary>
/// Free page reporting (virtio 1.2 §5.5.6, "Free Page Reporting"): the driver lists free ranges of its memory, one
/// descriptor each, on reporting_vq; the device gives them back to the host and returns the chain. Linux's
/// virtio-mmio numbers only the queues of negotiated features, so reporting_vq is queue 3 with the stats queue and
/// queue 2 without it.
/// </summary>
public sealed class BalloonReportingTests : IDisposable
{
    private const uint TwoMiB = 2 * 1024 * 1024;

    private readonly BalloonRig _rig = new();

    public static TheoryData<ulong, uint> Layouts => new()
    {
        { DeviceRig.AllFeatures, 3 },
        { ~StatsVq, 2 },
    };

    public void Dispose() => _rig.Dispose();

    [Theory]
    [MemberData(nameof(Layouts))]
    public void Reported_Ranges_Go_Back_To_The_Host_And_The_Chain_Returns_With_Nothing_Written(ulong accept, uint reportingQueue)
    {
        _rig.Start(accept);
        for (uint pfn = 0x3FF; pfn <= 0x600; pfn++)
        {
            _rig.Scribble(pfn);
        }

        _rig.Scribble(0x800);
        _rig.Scribble(0x801);

        uint used = _rig.Complete(_rig.Reporting!, Segment.Out(0x400 * BalloonPage, TwoMiB), Segment.Out(0x800 * BalloonPage, 4096));

        Assert.Equal(reportingQueue, _rig.Index[_rig.Reporting!]);
        Assert.Equal(0u, used);
        Assert.True(_rig.IsZero(0x400) && _rig.IsZero(0x5FF) && _rig.IsZero(0x800));
        Assert.True(_rig.Holds(0x3FF) && _rig.Holds(0x600) && _rig.Holds(0x801));
        Assert.Equal(513, _rig.Device.Counters.ReportedPages);
    }

    [Fact]
    public void Without_The_Stats_Queue_Queue_2_Reports_And_Holds_No_Statistics_Buffer()
    {
        _rig.Start(~StatsVq);
        _rig.Scribble(0x400);

        _rig.Complete(_rig.Reporting!, Segment.Out(0x400 * BalloonPage, 4096));
        _rig.Device.RequestStatistics();

        Assert.True(_rig.IsZero(0x400));
        Assert.Null(_rig.Device.Statistics);
        Assert.Equal(1, _rig.Reporting!.UsedIndex);
    }

    [Fact]
    public void Ranges_That_Are_Not_Whole_Pages_Of_Guest_Ram_Are_Refused_And_The_Others_Still_Reported()
    {
        _rig.Start();
        foreach (uint pfn in (uint[])[0x400, 0x401, 0x600, 0x601, 0x700, 0xFFF])
        {
            _rig.Scribble(pfn);
        }

        uint used = _rig.Complete(
            _rig.Reporting!,
            Segment.Out((0x400 * BalloonPage) + 0x800, 4096), // not page-aligned
            Segment.Out(0x600 * BalloonPage, 0x1800), // not whole pages
            Segment.Out(0x700 * BalloonPage, 4096),
            Segment.Out(RamEnd - 4096, 2 * 4096), // runs past the end of RAM
            Segment.Out(0x500 * BalloonPage, 0)); // empty

        Assert.Equal(0u, used);
        Assert.True(_rig.IsZero(0x700));
        Assert.True(_rig.Holds(0x400) && _rig.Holds(0x401) && _rig.Holds(0x600) && _rig.Holds(0x601) && _rig.Holds(0xFFF));
        Assert.Equal(1, _rig.Device.Counters.ReportedPages);
        Assert.Equal(4, _rig.Device.Counters.RefusedRanges);
    }

    [Fact]
    public void A_Chain_Whose_Shape_Is_Broken_Is_Returned_Untouched()
    {
        _rig.Start();
        _rig.Scribble(0x400);
        SplitQueueDriver queue = _rig.Reporting!;

        // A readable descriptor after a writable one (§2.7.5.2).
        ushort before = queue.UsedIndex;
        queue.AddChain(Segment.Out(0x400 * BalloonPage, 4096), Segment.In(0x401 * BalloonPage, 4096));
        _rig.Driver.Notify(_rig.Index[queue]);

        Assert.Equal((ushort)(before + 1), queue.UsedIndex);
        Assert.True(_rig.Holds(0x400));
        Assert.Equal(1, _rig.Device.Counters.RefusedRequests);
    }
}
