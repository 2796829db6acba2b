using HyperNest.Vmm.Devices.Virtio;
using HyperNest.Vmm.Memory;
using static HyperNest.Vmm.Tests.Devices.Virtio.MmioRegisters;

namespace HyperNest.Vmm.Tests.Devices.Virtio;

/// <summary>
/// A virtio-mmio transport saved and restored onto a transport just built for the same device: the driver reads the
/// same registers, a running device is activated with the saved features and serves its queue where it left off, and
/// a state that is not this device's is refused before anything changes.
/// </summary>
public sealed class MmioTransportStateTests : IDisposable
{
    private const ulong Data = 0x100000;

    private readonly GuestMemory _memory = new(16 * MemoryLayout.MiB);

    public void Dispose() => _memory.Dispose();

    [Fact]
    public void A_Restored_Running_Transport_Reads_The_Same_Registers_And_Is_Activated_With_The_Saved_Features()
    {
        (MmioTransport saved, MmioDriver driver, _) = Running(new FakeDevice());
        ulong accepted = Version1 | EventIndex | (1UL << 3);
        driver.Write(QueueSel, 1); // the driver left queue 1 selected

        var device = new FakeDevice();
        MmioTransport restored = new(device, _memory, new RecordingInterruptLine());
        restored.Restore(saved.Save());

        Assert.Equal(accepted, device.ActivatedWith);
        Assert.Equal(Registers(new MmioDriver(saved)), Registers(new MmioDriver(restored)));
        Assert.Equal(saved.Save() with { Queues = [], NotifiedBeforeDriverOk = [] }, restored.Save() with { Queues = [], NotifiedBeforeDriverOk = [] });
    }

    [Fact]
    public void A_Restored_Queue_Continues_Where_The_Saved_One_Stopped()
    {
        (MmioTransport saved, MmioDriver driver, SplitQueueDriver queue) = Running(new FakeDevice());
        ushort first = queue.AddChain(Segment.Out(Data, 16));
        queue.Complete(driver, first);
        MmioTransportState state = saved.Save();

        MmioTransport restored = new(new FakeDevice(), _memory, new RecordingInterruptLine());
        restored.Restore(state);
        ushort second = queue.AddChain(Segment.Out(Data + 16, 16));
        uint length = queue.Complete(new MmioDriver(restored), second);

        Assert.Equal(second, length); // the fake device writes the head index as the length
        Assert.Equal(2, queue.UsedIndex);
    }

    [Fact]
    public void A_Transport_The_Driver_Never_Started_Is_Restored_Without_Activating_Its_Device()
    {
        var device = new FakeDevice();
        MmioTransport restored = new(device, _memory, new RecordingInterruptLine());

        restored.Restore(new MmioTransport(new FakeDevice(), _memory, new RecordingInterruptLine()).Save());

        Assert.Null(device.ActivatedWith);
        Assert.Equal(VirtioDeviceStatus.None, restored.Status);
    }

    [Fact]
    public void Another_Queue_Count_Is_Refused()
    {
        MmioTransportState state = Running(new FakeDevice()).Transport.Save();

        Assert.Contains("3 queues saved, the device has 2", Assert.Throws<InvalidDataException>(() =>
            Fresh().Restore(state with { Queues = [.. state.Queues, state.Queues[0]], NotifiedBeforeDriverOk = [false, false, false] })).Message);
    }

    [Fact]
    public void Features_The_Device_Does_Not_Offer_Are_Refused()
    {
        MmioTransportState state = Running(new FakeDevice()).Transport.Save();

        Assert.Contains("does not offer", Assert.Throws<InvalidDataException>(() => Fresh().Restore(state with { DriverFeatures = state.DriverFeatures | (1UL << 5) })).Message);
    }

    [Fact]
    public void Driver_Ok_Without_Features_Ok_Is_Refused()
    {
        MmioTransportState state = Running(new FakeDevice()).Transport.Save();

        Assert.Contains("DRIVER_OK without FEATURES_OK",
            Assert.Throws<InvalidDataException>(() => Fresh().Restore(state with { Status = state.Status & ~VirtioDeviceStatus.FeaturesOk })).Message);
    }

    [Fact]
    public void A_Bad_Queue_State_Leaves_Every_Queue_As_It_Was()
    {
        MmioTransportState state = Running(new FakeDevice()).Transport.Save();
        MmioTransport target = Fresh();
        MmioTransportState before = target.Save();
        VirtQueueState broken = state.Queues[1] with { Ready = true, DeviceAreaAddress = 64 * MemoryLayout.MiB };

        Assert.Throws<InvalidDataException>(() => target.Restore(state with { Queues = [state.Queues[0], broken] }));

        Assert.Equal(before.Queues, target.Save().Queues);
        Assert.Equal(before.Status, target.Save().Status);
    }

    private MmioTransport Fresh() => new(new FakeDevice(), _memory, new RecordingInterruptLine());

    private (MmioTransport Transport, MmioDriver Driver, SplitQueueDriver Queue) Running(FakeDevice device)
    {
        var transport = new MmioTransport(device, _memory, new RecordingInterruptLine());
        var driver = new MmioDriver(transport);
        var queue = new SplitQueueDriver(_memory, 16);
        driver.Initialize(Version1 | EventIndex | (1UL << 3), queue);
        return (transport, driver, queue);
    }

    private static uint[] Registers(MmioDriver driver) =>
        [driver.Read(Status), driver.Read(QueueSel), driver.Read(QueueNum), driver.Read(QueueReady), driver.Read(InterruptStatus),
         driver.Read(ConfigGeneration), driver.Read(QueueDescLow), driver.Read(QueueDriverLow), driver.Read(QueueDeviceLow)];
}
