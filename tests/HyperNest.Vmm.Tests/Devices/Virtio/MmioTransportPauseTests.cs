using HyperNest.Vmm.Devices.Virtio;
using HyperNest.Vmm.Memory;
using static HyperNest.Vmm.Tests.Devices.Virtio.MmioRegisters;

namespace HyperNest.Vmm.Tests.Devices.Virtio;

/// <summary>
/// A paused transport serves no queue (its device and guest memory are still while a VM is saved), keeps what was
/// notified meanwhile and serves it on resume; after a restore, a turn on every queue serves what the driver made
/// available before the save.
/// </summary>
public sealed class MmioTransportPauseTests : IDisposable
{
    private const ulong Data = 0x100000;

    private readonly GuestMemory _memory = new(16 * MemoryLayout.MiB);

    public void Dispose() => _memory.Dispose();

    [Fact]
    public void A_Notification_While_Paused_Is_Served_On_Resume_Not_Before()
    {
        var device = new FakeDevice();
        (MmioTransport transport, SplitQueueDriver queue) = Running(device);
        int before = device.ProcessCalls;
        queue.AddChain(Segment.Out(Data, 16));

        transport.Pause();
        transport.NotifyQueue(0);
        Assert.Equal(before, device.ProcessCalls);
        Assert.Equal(0, queue.UsedIndex);

        transport.Resume();
        Assert.Equal(before + 1, device.ProcessCalls);
        Assert.Equal(1, queue.UsedIndex);
    }

    [Fact]
    public void Resume_Without_Notifications_Serves_Nothing()
    {
        var device = new FakeDevice();
        (MmioTransport transport, _) = Running(device);
        int before = device.ProcessCalls;

        transport.Pause();
        transport.NotifyQueue(7); // no such queue: ignored, not remembered
        transport.Resume();

        Assert.Equal(before, device.ProcessCalls);
    }

    [Fact]
    public void Serve_All_Queues_After_A_Restore_Serves_A_Chain_Made_Available_Before_The_Save()
    {
        (MmioTransport saved, SplitQueueDriver queue) = Running(new FakeDevice());
        saved.Pause();
        queue.AddChain(Segment.Out(Data, 16));
        saved.NotifyQueue(0); // held by the paused transport, lost with its process
        MmioTransportState state = saved.Save();

        var restored = new MmioTransport(new FakeDevice(), _memory, new RecordingInterruptLine());
        restored.Restore(state);
        Assert.Equal(0, queue.UsedIndex);
        restored.ServeAllQueues();

        Assert.Equal(1, queue.UsedIndex);
    }

    private (MmioTransport Transport, SplitQueueDriver Queue) Running(FakeDevice device)
    {
        var transport = new MmioTransport(device, _memory, new RecordingInterruptLine());
        var queue = new SplitQueueDriver(_memory, 16);
        new MmioDriver(transport).Initialize(Version1 | EventIndex | (1UL << 3), queue);
        return (transport, queue);
    }
}
