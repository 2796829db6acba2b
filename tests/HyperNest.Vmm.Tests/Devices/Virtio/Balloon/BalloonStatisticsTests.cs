using HyperNest.Vmm.Devices.Virtio;
using static HyperNest.Vmm.Tests.Devices.Virtio.BalloonRig;

namespace HyperNest.Vmm.Tests.Devices.Virtio;

/// <summary>
/// The stats queue (virtio 1.2 §5.5.6.3): the driver keeps one buffer of packed (le16 tag, le64 value) entries
/// available; the device holds it, and asks for fresh figures by using it, which the driver answers with a new one.
/// </summary>
public sealed class BalloonStatisticsTests : IDisposable
{
    // §5.5.6.4 "Memory Statistics Tags", written out independently of the implementation.
    private const ushort SwapIn = 0, SwapOut = 1, MajorFaults = 2, MinorFaults = 3, MemFree = 4, MemTotal = 5;
    private const ushort Available = 6, Caches = 7, HugetlbAllocations = 8, HugetlbFailures = 9;

    private readonly BalloonRig _rig = new();

    public void Dispose() => _rig.Dispose();

    [Fact]
    public void The_Buffer_Linux_Primes_Before_DriverOk_Is_Read_And_Held_At_DriverOk()
    {
        long before = Environment.TickCount64;

        _rig.Start(firstStats: [(MemFree, 100 << 20), (MemTotal, 200 << 20)]);

        BalloonStatistics statistics = Assert.IsType<BalloonStatistics>(_rig.Device.Statistics);
        Assert.Equal(100UL << 20, statistics.FreeMemory);
        Assert.Equal(200UL << 20, statistics.TotalMemory);
        Assert.Null(statistics.SwapIn);
        Assert.Null(statistics.AvailableMemory);
        Assert.InRange(statistics.ReceivedAt, before, Environment.TickCount64);
        Assert.Equal(0, _rig.Stats!.UsedIndex);
        Assert.Equal(0, _rig.Interrupt.Count);
    }

    [Fact]
    public void All_Ten_Tags_Are_Read_In_Any_Order_And_Unknown_Tags_Are_Ignored()
    {
        _rig.Start(firstStats:
        [
            (HugetlbFailures, 10), (0xFFFF, 99), (SwapIn, 1), (SwapOut, 2), (MajorFaults, 3), (MinorFaults, 4),
            (MemFree, 5), (MemTotal, 6), (10, 98), (Available, 7), (Caches, 8), (HugetlbAllocations, 9),
        ]);

        BalloonStatistics statistics = _rig.Device.Statistics!;

        Assert.Equal(
            new ulong?[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 },
            [statistics.SwapIn, statistics.SwapOut, statistics.MajorFaults, statistics.MinorFaults, statistics.FreeMemory,
             statistics.TotalMemory, statistics.AvailableMemory, statistics.DiskCaches, statistics.HugetlbAllocations,
             statistics.HugetlbFailures]);
    }

    [Fact]
    public void RequestStatistics_Returns_The_Held_Buffer_With_An_Interrupt()
    {
        _rig.Start(firstStats: (MemFree, 1));

        _rig.Device.RequestStatistics();

        Assert.Equal(1, _rig.Stats!.UsedIndex);
        Assert.Equal((0u, 0u), _rig.Stats.Used(0));
        Assert.Equal(1, _rig.Interrupt.Count);
    }

    [Fact]
    public void The_Drivers_Answer_Replaces_The_Statistics_And_Is_Held_For_The_Next_Request()
    {
        _rig.Start(firstStats: (MemFree, 1));
        _rig.Device.RequestStatistics();

        _rig.WriteStats((MemFree, 2), (MemTotal, 3));
        ushort head = _rig.Stats!.AddChain(Segment.In(StatsBuffer, 20));
        _rig.Driver.Notify(_rig.Index[_rig.Stats]);

        Assert.Equal(2UL, _rig.Device.Statistics!.FreeMemory);
        Assert.Equal(3UL, _rig.Device.Statistics.TotalMemory);
        Assert.Equal(1, _rig.Stats.UsedIndex);

        _rig.Device.RequestStatistics();

        Assert.Equal(2, _rig.Stats.UsedIndex);
        Assert.Equal(head, _rig.Stats.Used(1).Id);
    }

    [Fact]
    public void RequestStatistics_Without_A_Held_Buffer_Does_Nothing()
    {
        _rig.Start(firstStats: (MemFree, 1));
        _rig.Device.RequestStatistics();
        int interrupts = _rig.Interrupt.Count;

        _rig.Device.RequestStatistics();

        Assert.Equal(1, _rig.Stats!.UsedIndex);
        Assert.Equal(interrupts, _rig.Interrupt.Count);
    }

    [Fact]
    public void RequestStatistics_Does_Nothing_Before_The_Driver_Runs_Or_Without_The_Stats_Queue()
    {
        _rig.Device.RequestStatistics();
        _rig.Start(accept: ~StatsVq);

        _rig.Device.RequestStatistics();

        Assert.Null(_rig.Device.Statistics);
        Assert.Equal(0, _rig.Interrupt.Count);
    }

    [Fact]
    public void A_Second_Buffer_While_One_Is_Held_Returns_The_Older_One()
    {
        _rig.Start(firstStats: (MemFree, 1));
        _rig.WriteStats((MemFree, 2));

        ushort second = _rig.Stats!.AddChain(Segment.In(StatsBuffer, 10));
        _rig.Driver.Notify(_rig.Index[_rig.Stats]);

        Assert.Equal(2UL, _rig.Device.Statistics!.FreeMemory);
        Assert.Equal(1, _rig.Stats.UsedIndex);
        Assert.Equal(0u, _rig.Stats.Used(0).Id);
        _rig.Device.RequestStatistics();
        Assert.Equal(second, _rig.Stats.Used(1).Id);
    }

    [Theory]
    [InlineData(15u)]
    [InlineData(0u)]
    public void A_Buffer_That_Is_Not_Whole_Entries_Fails_That_Report_Only(uint length)
    {
        _rig.Start(firstStats: (MemFree, 1));
        _rig.Device.RequestStatistics();

        _rig.WriteStats((MemFree, 2), (MemTotal, 3));
        _rig.Stats!.AddChain(Segment.In(StatsBuffer, length));
        _rig.Driver.Notify(_rig.Index[_rig.Stats]);

        Assert.Equal(1UL, _rig.Device.Statistics!.FreeMemory);
        Assert.Equal(1, _rig.Device.Counters.RefusedRequests);

        // Still held: the next request returns it, and the driver's next answer is read.
        _rig.Device.RequestStatistics();
        Assert.Equal(2, _rig.Stats.UsedIndex);
        _rig.Stats.AddChain(Segment.In(StatsBuffer, 20));
        _rig.Driver.Notify(_rig.Index[_rig.Stats]);
        Assert.Equal(2UL, _rig.Device.Statistics!.FreeMemory);
    }

    [Fact]
    public void A_Buffer_Outside_Guest_Ram_Fails_That_Report_Only()
    {
        _rig.Start(firstStats: (MemFree, 1));
        _rig.Device.RequestStatistics();

        _rig.Stats!.AddChain(Segment.In(RamEnd - 10, 20));
        _rig.Driver.Notify(_rig.Index[_rig.Stats]);

        Assert.Equal(1UL, _rig.Device.Statistics!.FreeMemory);
        Assert.Equal(1, _rig.Device.Counters.RefusedRequests);
        _rig.Device.RequestStatistics();
        Assert.Equal(2, _rig.Stats.UsedIndex);
    }
}
