using HyperNest.Management.Worker;
using HyperNest.Vmm;
using HyperNest.Worker.Memory;
using HyperNest.Worker.Metering;

namespace HyperNest.Worker.Tests.Metering;

public sealed class ResourceMeterTests
{
    private const ulong MiB = 1UL << 20;

    private sealed class Resident : IHostMemory
    {
        public ulong TotalBytes => 0;

        public ulong AvailableBytes => 0;

        public ulong OwnResidentBytes => 77 * MiB;
    }

    private DateTimeOffset _now = new(2026, 11, 30, 9, 0, 0, TimeSpan.Zero);

    private ResourceMeter Meter(DeviceUsage? usage = null, double cpu = 0) =>
        new(() => cpu, () => usage ?? new DeviceUsage(), new Resident(), () => _now);

    [Fact]
    public void Memory_Is_The_Average_Least_And_Most_Of_The_Samples_And_The_Assigned_Memory_Now()
    {
        ResourceMeter meter = Meter();
        meter.Sample(512 * MiB);
        meter.Sample(1024 * MiB);
        meter.Sample(256 * MiB);

        VmMeteringReport report = meter.Report(256 * MiB);

        Assert.Equal(512 * MiB, report.AverageMemoryBytes);
        Assert.Equal(256 * MiB, report.MinimumMemoryBytes);
        Assert.Equal(1024 * MiB, report.MaximumMemoryBytes);
        Assert.Equal(77 * MiB, report.ResidentBytes);
    }

    [Fact]
    public void The_Period_Starts_At_The_First_Sample_And_Ends_At_The_Report()
    {
        ResourceMeter meter = Meter(cpu: 2.5);
        DateTimeOffset started = _now;
        meter.Sample(512 * MiB);
        _now = _now.AddSeconds(10);

        VmMeteringReport report = meter.Report(512 * MiB);

        Assert.Equal(started, report.StartedAt);
        Assert.Equal(10, report.DurationSeconds);
        Assert.Equal(2.5, report.ProcessorSeconds);
    }

    [Fact]
    public void A_Report_Before_Any_Sample_Covers_The_Memory_Now()
    {
        VmMeteringReport report = Meter().Report(128 * MiB);

        Assert.Equal((128 * MiB, 128 * MiB, 128 * MiB), (report.AverageMemoryBytes, report.MinimumMemoryBytes, report.MaximumMemoryBytes));
        Assert.Equal(0, report.DurationSeconds);
    }

    [Fact]
    public void Disk_And_Network_Figures_Are_The_Devices_Counters()
    {
        var usage = new DeviceUsage { DiskBytesRead = 1, DiskBytesWritten = 2, DiskCapacityBytes = 3, NetworkBytesReceived = 4, NetworkBytesSent = 5 };

        VmMeteringReport report = Meter(usage).Report(MiB);

        Assert.Equal((1L, 2L, 3L, 4L, 5L), (report.DiskBytesRead, report.DiskBytesWritten, report.DiskCapacityBytes, report.NetworkBytesReceived, report.NetworkBytesSent));
    }
}
