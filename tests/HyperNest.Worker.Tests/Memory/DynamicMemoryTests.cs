using HyperNest.Management;
using HyperNest.Management.Memory;
using HyperNest.Management.Model;
using HyperNest.Worker.Memory;

namespace HyperNest.Worker.Tests.Memory;

/// <summary>One running VM's memory: static at Startup (resized while it runs), dynamic at the balancer's target.</summary>
public sealed class DynamicMemoryTests
{
    private const ulong MiB = 1UL << 20;

    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    private sealed class FakeDevices : IGuestMemoryDevices
    {
        public ulong BootBytes { get; init; } = 1024 * MiB;

        public ulong HotplugCapacityBytes { get; init; } = 1024 * MiB;

        public ulong AssignedBytes { get; set; } = 1024 * MiB;

        public ulong? DemandBytes { get; set; }

        public bool BalloonReady { get; set; } = true;

        public bool HotplugReady { get; set; } = true;

        public ulong? Applied { get; private set; }

        public int StatisticsRequests { get; private set; }

        /// <summary>The guest takes every target at once (else it stays where it is).</summary>
        public bool Cooperative { get; init; }

        public void Apply(ulong targetBytes)
        {
            Applied = targetBytes;
            AssignedBytes = Cooperative ? targetBytes : AssignedBytes;
        }

        public void RequestStatistics() => StatisticsRequests++;
    }

    private sealed class FakeHost : IHostMemory
    {
        public ulong TotalBytes { get; set; } = 16384 * MiB;

        public ulong AvailableBytes { get; set; } = 8192 * MiB;

        public ulong OwnResidentBytes { get; set; } = 600 * MiB;
    }

    private static readonly VmMemorySettings StaticGiB = new() { StartupBytes = 1024 * MiB };

    private static readonly VmMemorySettings DynamicGiB = new()
    {
        StartupBytes = 1024 * MiB, DynamicMemoryEnabled = true, MinimumBytes = 256 * MiB, MaximumBytes = 2048 * MiB, Buffer = 20,
    };

    private static DynamicMemory Memory(VmMemorySettings settings, FakeDevices devices, FakeHost? host = null, params VmMemoryReport[] peers) =>
        new("self", settings, devices, host ?? new FakeHost(), () => peers);

    [Fact]
    public void A_Static_Vm_Is_Kept_At_Startup_And_Reports_No_Status()
    {
        var devices = new FakeDevices { DemandBytes = 100 * MiB };
        VmMemoryReport report = Memory(StaticGiB, devices).Tick(Now);

        Assert.Equal(1024 * MiB, devices.Applied);
        Assert.Equal("", report.Status);
        Assert.Null(report.Claim.DemandBytes);
        Assert.Equal(1, devices.StatisticsRequests);
    }

    [Theory]
    [InlineData(1536UL)]
    [InlineData(512UL)]
    public void A_Static_Vm_Resized_While_It_Runs_Is_Moved_To_Its_New_Size(ulong startupMiB)
    {
        var devices = new FakeDevices();
        DynamicMemory memory = Memory(StaticGiB, devices);

        VmMemoryReport report = memory.Change(StaticGiB with { StartupBytes = startupMiB * MiB }, Now);

        Assert.Equal(startupMiB * MiB, devices.Applied);
        Assert.Equal(startupMiB * MiB, report.TargetBytes);
    }

    [Fact]
    public void Growing_Past_The_Room_Set_Aside_At_Start_Is_Refused() =>
        Assert.Equal("the VM can grow to 2048 MB while it runs (it started with room for that much): restart it to give it 4096 MB.",
            Assert.Throws<VmOperationException>(() => Memory(StaticGiB, new FakeDevices()).Change(StaticGiB with { StartupBytes = 4096 * MiB }, Now)).Message);

    [Fact]
    public void Growing_A_Vm_That_Started_Without_A_Hotplug_Region_Says_So() =>
        Assert.StartsWith("no memory can be added while it runs: it started without room for more",
            Assert.Throws<VmOperationException>(() => Memory(StaticGiB, new FakeDevices { HotplugCapacityBytes = 0 }).Change(StaticGiB with { StartupBytes = 2048 * MiB }, Now)).Message);

    [Fact]
    public void Growing_A_Guest_Without_Its_Virtio_Mem_Driver_Is_Refused() =>
        Assert.Contains("no virtio-mem driver",
            Assert.Throws<VmOperationException>(() => Memory(StaticGiB, new FakeDevices { HotplugReady = false }).Change(StaticGiB with { StartupBytes = 1536 * MiB }, Now)).Message);

    [Fact]
    public void Shrinking_A_Guest_Without_Its_Balloon_Driver_Is_Refused() =>
        Assert.Contains("no balloon driver",
            Assert.Throws<VmOperationException>(() => Memory(StaticGiB, new FakeDevices { BalloonReady = false }).Change(StaticGiB with { StartupBytes = 512 * MiB }, Now)).Message);

    [Fact]
    public void A_Dynamic_Vm_Follows_Its_Demand_Plus_Buffer()
    {
        var devices = new FakeDevices { DemandBytes = 1000 * MiB };
        DynamicMemory memory = Memory(DynamicGiB, devices);

        Assert.Equal(1200 * MiB, memory.Tick(Now).TargetBytes);
        Assert.Equal(1200 * MiB, devices.Applied);
    }

    [Fact]
    public void A_Dynamic_Vm_Gives_Back_At_Most_MaxShrinkPerTick_A_Tick()
    {
        var devices = new FakeDevices { DemandBytes = 100 * MiB };
        DynamicMemory memory = Memory(DynamicGiB, devices);

        Assert.Equal(1024 * MiB - DynamicMemory.MaxShrinkPerTick, memory.Tick(Now).TargetBytes);
        Assert.Equal(1024 * MiB - (2 * DynamicMemory.MaxShrinkPerTick), memory.Tick(Now).TargetBytes);
        for (int i = 0; i < 40; i++)
        {
            memory.Tick(Now);
        }

        Assert.Equal(256 * MiB, devices.Applied); // Minimum: 120 MiB wanted
    }

    [Fact]
    public void Host_Pressure_Takes_From_The_Lower_Priority_Vm_First()
    {
        // The host has 1 GiB free; self (priority 10) and a peer (priority 90) each hold 600 MiB and want 1200.
        var host = new FakeHost { TotalBytes = 4096 * MiB, AvailableBytes = 1024 * MiB, OwnResidentBytes = 600 * MiB };
        var peer = new VmMemoryReport
        {
            AssignedBytes = 1024 * MiB, TargetBytes = 1200 * MiB, ResidentBytes = 600 * MiB, Status = "OK", UpdatedAt = Now,
            Claim = new MemoryClaim("peer", true, 1024 * MiB, 256 * MiB, 2048 * MiB, 20, 90, 1000 * MiB),
        };
        var devices = new FakeDevices { DemandBytes = 1000 * MiB, Cooperative = true };

        DynamicMemory memory = Memory(DynamicGiB with { Priority = 10 }, devices, host, peer);
        for (int tick = 0; tick < 30; tick++)
        {
            memory.Tick(Now);
        }

        VmMemoryReport report = memory.Tick(Now);

        // Budget: 1024 free + 1200 held - 409.6 reserve ≈ 1814 MiB for 2400 wanted: self, the lower priority, gives all
        // 586 (down to ≈ 614 MiB; at most MaxShrinkPerTick a tick), the peer keeps its 1200.
        Assert.InRange(report.TargetBytes, 612 * MiB, 616 * MiB);
        Assert.Equal("Warning", report.Status);
    }

    [Fact]
    public void A_Stale_Peer_Report_Is_Left_Out()
    {
        var host = new FakeHost { TotalBytes = 4096 * MiB, AvailableBytes = 1024 * MiB, OwnResidentBytes = 600 * MiB };
        var stale = new VmMemoryReport
        {
            AssignedBytes = 1024 * MiB, TargetBytes = 1200 * MiB, ResidentBytes = 600 * MiB, Status = "OK", UpdatedAt = Now - TimeSpan.FromMinutes(1),
            Claim = new MemoryClaim("peer", true, 1024 * MiB, 256 * MiB, 2048 * MiB, 20, 90, 1000 * MiB),
        };

        Assert.Equal(1200 * MiB, Memory(DynamicGiB with { Priority = 10 }, new FakeDevices { DemandBytes = 1000 * MiB }, host, stale).Tick(Now).TargetBytes);
    }

    [Theory]
    [InlineData(1200UL, "OK")]
    [InlineData(1100UL, "Low")]
    [InlineData(900UL, "Warning")]
    public void Status_Says_Whether_The_Guest_Has_Its_Buffer(ulong assignedMiB, string status) =>
        Assert.Equal(status, Memory(DynamicGiB, new FakeDevices { DemandBytes = 1000 * MiB, AssignedBytes = assignedMiB * MiB }).Tick(Now).Status);

    [Fact]
    public void A_Guest_Without_A_Balloon_Driver_Is_Reported_After_The_Grace_Period()
    {
        var devices = new FakeDevices { BalloonReady = false };
        DynamicMemory memory = Memory(DynamicGiB, devices);

        VmMemoryReport early = memory.Tick(Now);
        VmMemoryReport late = memory.Tick(Now + DynamicMemory.DriverGrace + TimeSpan.FromSeconds(1));

        Assert.Null(early.Problem);
        Assert.Equal("", early.Status);
        Assert.Contains("no balloon driver", late.Problem ?? "(none)");
        Assert.Equal("Warning", late.Status);
    }
}
