using HyperNest.Vmm.Devices.Virtio;
using static HyperNest.Vmm.Tests.Devices.Virtio.BalloonRig;
using static HyperNest.Vmm.Tests.Devices.Virtio.MmioRegisters;

namespace HyperNest.Vmm.Tests.Devices.Virtio;

/// <summary>virtio-balloon's identity, configuration space (virtio 1.2 §5.5.4) and the host's view of it.</summary>
public sealed class BalloonTests : IDisposable
{
    private const ulong MiB = 1024 * 1024;

    private readonly BalloonRig _rig = new();

    public void Dispose() => _rig.Dispose();

    [Fact]
    public void Is_A_Balloon_Offering_Stats_Deflate_On_Oom_And_Page_Reporting_But_Not_Hinting_Or_Poison()
    {
        Assert.Equal(5u, _rig.Driver.Read(DeviceId));
        Assert.Equal(StatsVq | DeflateOnOom | PageReporting | Version1 | IndirectDescriptors | EventIndex, _rig.Driver.DeviceFeatures);
    }

    [Fact]
    public void Has_Four_Queues_Inflate_Deflate_Stats_And_Reporting()
    {
        for (uint queue = 0; queue < 4; queue++)
        {
            _rig.Driver.Write(QueueSel, queue);
            Assert.NotEqual(0u, _rig.Driver.Read(QueueNumMax));
        }

        _rig.Driver.Write(QueueSel, 4);
        Assert.Equal(0u, _rig.Driver.Read(QueueNumMax));
    }

    [Fact]
    public void Config_Space_Is_Num_Pages_Then_Actual_In_4_KiB_Pages_Then_Zeros()
    {
        _rig.Device.SetTarget(8 * MiB);
        _rig.Start();
        _rig.WriteActual(100);

        Assert.Equal(2048u, _rig.ReadConfig(0));
        Assert.Equal(100u, _rig.ReadConfig(4));
        Assert.Equal(0u, _rig.ReadConfig(8));
        Assert.Equal(0u, _rig.ReadConfig(12));
        Assert.Equal(0u, _rig.ReadConfig(16));
    }

    [Fact]
    public void Config_Space_Reads_At_Any_Width_And_Offset()
    {
        _rig.Start();
        _rig.WriteActual(0x0102_0304);
        var bytes = new byte[2];

        _rig.Transport.Read(Config + 5, bytes);

        Assert.Equal(new byte[] { 0x03, 0x02 }, bytes);
    }

    [Fact]
    public void SetTarget_Rounds_Down_To_Whole_Balloon_Pages()
    {
        _rig.Device.SetTarget((3 * BalloonPage) + 4095);

        Assert.Equal(3 * BalloonPage, _rig.Device.TargetBytes);
        Assert.Equal(3u, _rig.ReadConfig(0));
    }

    [Fact]
    public void SetTarget_Interrupts_A_Running_Driver_Only_When_The_Page_Count_Changes()
    {
        _rig.Start();
        uint generation = _rig.Driver.Read(ConfigGeneration);
        int interrupts = _rig.Interrupt.Count;

        _rig.Device.SetTarget(MiB);
        _rig.Device.SetTarget(MiB + 100);

        Assert.Equal(interrupts + 1, _rig.Interrupt.Count);
        Assert.Equal(MmioTransport.InterruptConfigChange, _rig.Driver.Read(InterruptStatus) & MmioTransport.InterruptConfigChange);
        Assert.NotEqual(generation, _rig.Driver.Read(ConfigGeneration));
        Assert.Equal(256u, _rig.ReadConfig(0));
    }

    [Fact]
    public void A_Target_Set_Before_The_Driver_Runs_Is_Read_At_Start_Without_An_Interrupt()
    {
        _rig.Device.SetTarget(2 * MiB);

        _rig.Start();

        Assert.Equal(0, _rig.Interrupt.Count);
        Assert.Equal(512u, _rig.ReadConfig(0));
    }

    [Fact]
    public void SetTarget_Refuses_More_Than_The_Guest_Has()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => _rig.Device.SetTarget(RamEnd + BalloonPage));
        _rig.Device.SetTarget(RamEnd);

        Assert.Equal(RamEnd, _rig.Device.TargetBytes);
    }

    [Fact]
    public void Actual_Is_What_The_Driver_Wrote_In_Bytes()
    {
        _rig.Start();

        _rig.WriteActual(256);

        Assert.Equal(MiB, _rig.Device.ActualBytes);
    }

    [Fact]
    public void The_Driver_Can_Write_Actual_A_Byte_At_A_Time()
    {
        _rig.Start();

        _rig.Transport.Write(Config + 4, [0x34]);
        _rig.Transport.Write(Config + 5, [0x12]);

        Assert.Equal(0x1234u, _rig.ReadConfig(4));
        Assert.Equal(0x1234UL * BalloonPage, _rig.Device.ActualBytes);
    }

    [Theory]
    [InlineData(0u)]
    [InlineData(8u)]
    [InlineData(12u)]
    public void Writes_Outside_Actual_Are_Ignored(uint offset)
    {
        _rig.Device.SetTarget(MiB);
        _rig.Start();

        _rig.Driver.Write(Config + offset, 0xFFFF_FFFF);

        Assert.Equal(256u, _rig.ReadConfig(0));
        Assert.Equal(MiB, _rig.Device.TargetBytes);
        Assert.Equal(0u, _rig.ReadConfig(8));
        Assert.Equal(0u, _rig.ReadConfig(12));
    }

    [Fact]
    public void DriverReady_Follows_DriverOk_Until_The_Driver_Resets()
    {
        Assert.False(_rig.Device.DriverReady);

        _rig.Start();
        Assert.True(_rig.Device.DriverReady);

        _rig.Driver.Write(Status, 0);
        Assert.False(_rig.Device.DriverReady);
    }

    [Fact]
    public void Reset_Forgets_Actual_The_Stats_Buffer_And_The_Statistics_But_Keeps_The_Target()
    {
        _rig.Device.SetTarget(4 * MiB);
        _rig.Start(firstStats: (4, 1234));
        _rig.WriteActual(1024);
        Assert.NotNull(_rig.Device.Statistics);

        _rig.Driver.Write(Status, 0);
        _rig.Device.RequestStatistics();

        Assert.Equal(0UL, _rig.Device.ActualBytes);
        Assert.Equal(0u, _rig.ReadConfig(4));
        Assert.Null(_rig.Device.Statistics);
        Assert.Equal(4 * MiB, _rig.Device.TargetBytes);
        Assert.Equal(1024u, _rig.ReadConfig(0));
        Assert.Equal(0, _rig.Stats!.UsedIndex);
    }

    [Fact]
    public void A_Driver_That_Starts_Again_After_A_Reset_Gets_A_Working_Balloon()
    {
        _rig.Start();
        _rig.Driver.Write(Status, 0);
        _rig.Scribble(0x300);

        _rig.Start(accept: ~StatsVq);
        _rig.SendPfns(_rig.Inflate, 0x300);

        Assert.True(_rig.IsZero(0x300));
        Assert.True(_rig.Device.DriverReady);
    }
}
