using HyperNest.Vmm.Devices.Virtio;

namespace HyperNest.Vmm.Tests.Devices.Virtio;

/// <summary>
/// The balloon saved and restored behind a restored transport: the driver reads the same num_pages and actual, and
/// the statistics buffer the device held is the one it returns on the next request.
/// </summary>
public sealed class BalloonStateTests : IDisposable
{
    private const ushort MemFree = 4;

    private readonly BalloonRig _rig = new();

    public void Dispose() => _rig.Dispose();

    [Fact]
    public void A_Restored_Balloon_Has_The_Saved_Sizes_And_Returns_The_Held_Stats_Buffer_On_Request()
    {
        _rig.Start(firstStats: (MemFree, 1));
        _rig.Device.SetTarget(64 * BalloonRig.BalloonPage);
        _rig.Driver.Write(MmioRegisters.Config + 4, 16); // the driver reports 16 pages so far

        var restored = new Balloon(_rig.Memory);
        var transport = new MmioTransport(restored, _rig.Memory, new RecordingInterruptLine());
        restored.Attach(transport.NotifyQueue, transport.NotifyConfigChanged);
        transport.Restore(_rig.Transport.Save());
        restored.Restore(_rig.Device.Save());

        Assert.Equal(new BalloonState(64, 16, 0), restored.Save());
        Assert.Equal(64 * BalloonRig.BalloonPage, restored.TargetBytes);
        Assert.Equal(16 * BalloonRig.BalloonPage, restored.ActualBytes);
        restored.RequestStatistics();
        Assert.Equal(1, _rig.Stats!.UsedIndex);
        Assert.Equal((0u, 0u), _rig.Stats.Used(0));
    }

    [Fact]
    public void Sizes_Beyond_Guest_Ram_Are_Refused()
    {
        var balloon = new Balloon(_rig.Memory);

        Assert.Contains("more than the guest's 4096",
            Assert.Throws<InvalidDataException>(() => balloon.Restore(new BalloonState(5000, 0, -1))).Message);
        Assert.Equal(new BalloonState(0, 0, -1), balloon.Save());
    }

    [Fact]
    public void A_Held_Buffer_Without_A_Running_Statistics_Queue_Is_Refused() =>
        Assert.Contains("no statistics queue running",
            Assert.Throws<InvalidDataException>(() => new Balloon(_rig.Memory).Restore(new BalloonState(0, 0, 3))).Message);
}
