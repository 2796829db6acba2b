using HyperNest.Vmm.Devices.Virtio;
using HyperNest.Vmm.Memory;
using static HyperNest.Vmm.Tests.Devices.Virtio.MmioRegisters;

namespace HyperNest.Vmm.Tests.Devices.Virtio;

public sealed class MmioTransportTests : IDisposable
{
    private const ulong DeviceFeature = 1UL << 3;

    private readonly GuestMemory _memory = new(16 * MemoryLayout.MiB);
    private readonly RecordingInterruptLine _interrupt = new();
    private readonly FakeDevice _device = new();
    private readonly MmioTransport _transport;
    private readonly MmioDriver _driver;
    private readonly SplitQueueDriver _queue;

    public MmioTransportTests()
    {
        _transport = new MmioTransport(_device, _memory, _interrupt);
        _driver = new MmioDriver(_transport);
        _queue = new SplitQueueDriver(_memory, 16);
    }

    public void Dispose() => _memory.Dispose();

    [Fact]
    public void Identifies_Itself_With_Magic_Version_2_DeviceId_And_VendorId()
    {
        Assert.Equal(0x74726976u, _driver.Read(MagicValue));
        Assert.Equal(2u, _driver.Read(MmioRegisters.Version));
        Assert.Equal((uint)VirtioDeviceType.Balloon, _driver.Read(DeviceId));
        Assert.Equal(MmioTransport.VendorId, _driver.Read(VendorId));
    }

    [Fact]
    public void Offers_Device_Features_With_Version1_In_The_High_Word()
    {
        ulong offered = _driver.DeviceFeatures;

        Assert.Equal(DeviceFeature, offered & DeviceFeature);
        Assert.Equal(Version1, offered & Version1);
        Assert.Equal(IndirectDescriptors | EventIndex, offered & (IndirectDescriptors | EventIndex));
    }

    [Fact]
    public void Device_Features_Beyond_The_Second_Word_Read_As_Zero()
    {
        _driver.Write(DeviceFeaturesSel, 2);

        Assert.Equal(0u, _driver.Read(DeviceFeatures));
    }

    [Fact]
    public void FeaturesOk_Is_Refused_When_The_Driver_Does_Not_Accept_Version1()
    {
        Assert.False(_driver.Negotiate(DeviceFeature));
        Assert.Equal(Acknowledge | Driver, _driver.Status);
    }

    [Fact]
    public void FeaturesOk_Is_Refused_When_The_Driver_Accepts_A_Feature_Not_Offered()
    {
        Assert.False(_driver.Negotiate(Version1 | (1UL << 7)));
    }

    [Fact]
    public void FeaturesOk_Is_Kept_When_The_Driver_Accepts_Offered_Features_Including_Version1()
    {
        Assert.True(_driver.Negotiate(Version1 | DeviceFeature));
    }

    [Fact]
    public void DriverOk_Activates_The_Device_With_The_Negotiated_Features()
    {
        _driver.Initialize(Version1 | DeviceFeature | EventIndex, _queue);

        Assert.Equal(Version1 | DeviceFeature | EventIndex, _device.ActivatedWith);
    }

    [Fact]
    public void Driver_Features_Are_Frozen_Once_FeaturesOk_Is_Set()
    {
        _driver.Negotiate(Version1);
        _driver.WriteDriverFeatures(Version1 | DeviceFeature);
        _driver.SetUpQueue(0, _queue);
        _driver.DriverOk();

        Assert.Equal(Version1, _device.ActivatedWith);
    }

    [Fact]
    public void DriverOk_Without_FeaturesOk_Is_Dropped_And_The_Device_Stays_Inactive()
    {
        _driver.Write(Status, Acknowledge);
        _driver.Write(Status, Acknowledge | Driver);
        _driver.Write(Status, Acknowledge | Driver | DriverOk);

        Assert.Equal(Acknowledge | Driver, _driver.Status);
        Assert.Null(_device.ActivatedWith);
    }

    [Fact]
    public void Driver_Without_Acknowledge_Is_Dropped()
    {
        _driver.Write(Status, Driver);

        Assert.Equal(0u, _driver.Status);
    }

    [Fact]
    public void Status_Bits_Cannot_Be_Cleared_Except_By_Writing_Zero()
    {
        _driver.Negotiate(Version1);

        _driver.Write(Status, Acknowledge);

        Assert.Equal(Acknowledge | Driver | FeaturesOk, _driver.Status);
    }

    [Theory]
    [InlineData(0x10u)]
    [InlineData(0x20u)]
    [InlineData(0x30u)]
    public void Status_Bits_The_Spec_Does_Not_Define_Are_Not_Kept(uint undefined)
    {
        // §2.1 defines ACKNOWLEDGE, DRIVER, DRIVER_OK, FEATURES_OK, DEVICE_NEEDS_RESET and FAILED; a write with other
        // bits sets the defined ones it may and keeps nothing else, so status always reads as a state of §3.1.1.
        _driver.Write(Status, Acknowledge | undefined);
        Assert.Equal(Acknowledge, _driver.Status);

        _driver.Write(Status, Acknowledge | Driver | Failed | undefined);
        Assert.Equal(Acknowledge | Driver | Failed, _driver.Status);
    }

    [Fact]
    public void Failed_Stops_The_Device_From_Processing_Notifications()
    {
        _driver.Initialize(Version1, _queue);
        _queue.AddChain(Segment.Out(0x100000, 8));

        _driver.Write(Status, _driver.Status | Failed);
        _driver.Notify(0);

        Assert.Equal(0, _device.ProcessCalls);
        Assert.Equal(0, _queue.UsedIndex);
    }

    [Fact]
    public void QueueNumMax_Is_The_Device_Maximum_And_Zero_For_A_Queue_That_Does_Not_Exist()
    {
        _driver.Write(QueueSel, 1);
        Assert.Equal(16u, _driver.Read(QueueNumMax));

        _driver.Write(QueueSel, 2);
        Assert.Equal(0u, _driver.Read(QueueNumMax));
    }

    [Fact]
    public void Queue_Registers_Read_Back_What_The_Driver_Set_And_The_Queue_Becomes_Ready()
    {
        _driver.Negotiate(Version1);
        var queue = new SplitQueueDriver(_memory, 8, descriptorTable: 0x40000, driverArea: 0x20002, deviceArea: 0x30004);

        _driver.SetUpQueue(1, queue);

        Assert.Equal(8u, _driver.Read(QueueNum));
        Assert.Equal((uint)queue.DescriptorTable, _driver.Read(QueueDescLow));
        Assert.Equal(0u, _driver.Read(QueueDescHigh));
        Assert.Equal(0x20002u, _driver.Read(QueueDriverLow));
        Assert.Equal(0x30004u, _driver.Read(QueueDeviceLow));
        Assert.Equal(1u, _driver.Read(QueueReady));
        _driver.Write(QueueSel, 0);
        Assert.Equal(0u, _driver.Read(QueueReady));
    }

    [Fact]
    public void Queue_Setup_Before_FeaturesOk_Is_Ignored()
    {
        _driver.Write(Status, Acknowledge);
        _driver.Write(Status, Acknowledge | Driver);

        _driver.SetUpQueue(0, _queue);

        Assert.Equal(0u, _driver.Read(QueueReady));
        Assert.Equal(0u, _driver.Read(QueueDescLow));
    }

    [Theory]
    [InlineData(12, 0x10000, 0x18000, 0x1a000)]
    [InlineData(0, 0x10000, 0x18000, 0x1a000)]
    [InlineData(32, 0x10000, 0x18000, 0x1a000)]
    [InlineData(16, 0x10008, 0x18000, 0x1a000)]
    [InlineData(16, 0x10000, 0x18001, 0x1a000)]
    [InlineData(16, 0x10000, 0x18000, 0x1a002)]
    [InlineData(16, 0xFFFF_FFF0, 0x18000, 0x1a000)]
    public void Queue_With_An_Invalid_Size_Or_Misplaced_Rings_Is_Not_Made_Ready_And_The_Device_Needs_Reset(
        ushort size, ulong descriptorTable, ulong driverArea, ulong deviceArea)
    {
        _driver.Negotiate(Version1);

        _driver.SetUpQueue(0, new SplitQueueDriver(_memory, size, descriptorTable, driverArea, deviceArea));

        Assert.Equal(0u, _driver.Read(QueueReady));
        Assert.Equal(DeviceNeedsReset, _driver.Status & DeviceNeedsReset);
    }

    [Fact]
    public void Writing_Status_Zero_Resets_The_Device_Its_Queues_Features_And_Interrupts()
    {
        _driver.Initialize(Version1, _queue);
        _queue.AddChain(Segment.Out(0x100000, 8));
        _driver.Notify(0);
        Assert.Equal(1u, _driver.Read(InterruptStatus));

        _driver.Write(Status, 0);

        Assert.Equal(0u, _driver.Status);
        Assert.Equal(1, _device.Resets);
        Assert.Null(_device.ActivatedWith);
        Assert.Equal(0u, _driver.Read(InterruptStatus));
        Assert.Equal(0u, _driver.Read(QueueReady));
        Assert.Equal(16u, _driver.Read(QueueNum));
        Assert.Equal(0u, _driver.Read(QueueDescLow));
        Assert.True(_driver.Negotiate(Version1), "a reset device negotiates afresh");
    }

    [Fact]
    public void Notification_Adds_Used_Buffers_Sets_InterruptStatus_Bit0_And_Triggers_The_Line()
    {
        _driver.Initialize(Version1, _queue);
        ushort head = _queue.AddChain(Segment.Out(0x100000, 8));

        _driver.Notify(0);

        Assert.Equal(1, _queue.UsedIndex);
        Assert.Equal((head, (uint)head), _queue.Used(0));
        Assert.Equal(1u, _driver.Read(InterruptStatus));
        Assert.Equal(1, _interrupt.Count);
    }

    [Fact]
    public void NotifyQueue_Processes_The_Queue_Like_A_QueueNotify_Write()
    {
        _driver.Initialize(Version1, _queue);
        _queue.AddChain(Segment.Out(0x100000, 8));

        _transport.NotifyQueue(0);

        Assert.Equal(1, _queue.UsedIndex);
        Assert.Equal(1, _interrupt.Count);
    }

    [Fact]
    public void InterruptAck_Clears_Only_The_Acknowledged_Bits()
    {
        _driver.Initialize(Version1, _queue);
        _queue.AddChain(Segment.Out(0x100000, 8));
        _driver.Notify(0);
        _transport.NotifyConfigChanged();
        Assert.Equal(3u, _driver.Read(InterruptStatus));

        _driver.Write(InterruptAck, 1);

        Assert.Equal(2u, _driver.Read(InterruptStatus));
    }

    [Fact]
    public void Notification_Before_DriverOk_Waits_For_DriverOk()
    {
        _driver.Negotiate(Version1);
        _driver.SetUpQueue(0, _queue);
        _queue.AddChain(Segment.Out(0x100000, 8));

        // Linux's virtio_balloon primes its stats queue and notifies it before DRIVER_OK, and never again.
        _driver.Notify(0);

        Assert.Equal(0, _device.ProcessCalls);
        Assert.Equal(0, _interrupt.Count);

        _driver.DriverOk();

        Assert.Equal(1, _device.ProcessCalls);
        Assert.Equal(1, _queue.UsedIndex);
    }

    [Fact]
    public void Notification_Before_DriverOk_Is_Forgotten_On_Reset()
    {
        _driver.Negotiate(Version1);
        _driver.SetUpQueue(0, _queue);
        _driver.Notify(0);
        _driver.Write(Status, 0);

        _driver.Initialize(Version1, _queue);

        Assert.Equal(0, _device.ProcessCalls);
    }

    [Theory]
    [InlineData(2u)]
    [InlineData(0xFFFF_FFFFu)]
    public void Notification_Of_A_Queue_That_Does_Not_Exist_Is_Ignored(uint queue)
    {
        _driver.Initialize(Version1, _queue);

        _driver.Notify(queue);
        _transport.NotifyQueue((int)queue);

        Assert.Equal(0, _device.ProcessCalls);
    }

    [Fact]
    public void Notification_Of_A_Queue_That_Is_Not_Ready_Is_Ignored()
    {
        _driver.Initialize(Version1, _queue);

        _driver.Notify(1);

        Assert.Equal(0, _device.ProcessCalls);
    }

    [Theory]
    [InlineData(MagicValue, 1)]
    [InlineData(MagicValue, 2)]
    [InlineData(MagicValue, 8)]
    [InlineData(MagicValue + 1, 4)]
    [InlineData(0x0f8UL, 4)]
    public void Register_Access_That_Is_Not_An_Aligned_Dword_Reads_All_Ones(ulong offset, int width)
    {
        var data = new byte[width];

        _transport.Read(offset, data);

        Assert.All(data, b => Assert.Equal(0xff, b));
    }

    [Fact]
    public void Register_Write_That_Is_Not_An_Aligned_Dword_Is_Ignored()
    {
        _transport.Write(Status, [(byte)Acknowledge]);
        _transport.Write(Status, [(byte)Acknowledge, 0, 0, 0, 0, 0, 0, 0]);

        Assert.Equal(0u, _driver.Status);
    }

    [Fact]
    public void Config_Space_From_0x100_Is_The_Devices_At_Any_Width()
    {
        var word = new byte[2];
        _transport.Read(Config + 3, word);
        Assert.Equal(new byte[] { 0x13, 0x14 }, word);

        Assert.Equal(0x17161514u, _driver.Read(Config + 4));
        Assert.Equal(0u, _driver.Read(Config + 0x100));
    }

    [Fact]
    public void Config_Space_Writes_Reach_The_Device()
    {
        _transport.Write(Config + 1, [0xAB]);

        Assert.Equal(0xAB, _device.Config[1]);
    }

    [Fact]
    public void Broken_Available_Ring_Sets_DeviceNeedsReset_And_Raises_A_Config_Change_Interrupt()
    {
        _driver.Initialize(Version1, _queue);
        _queue.SetAvailableIndex(17);

        _driver.Notify(0);

        Assert.Equal(DeviceNeedsReset, _driver.Status & DeviceNeedsReset);
        Assert.Equal(2u, _driver.Read(InterruptStatus));
        Assert.Equal(1, _interrupt.Count);
    }

    [Fact]
    public void Device_That_Needs_Reset_Ignores_Notifications_Until_The_Driver_Resets_It()
    {
        _driver.Initialize(Version1, _queue);
        _queue.SetAvailableIndex(17);
        _driver.Notify(0);
        int calls = _device.ProcessCalls;

        _driver.Notify(0);
        _driver.Write(Status, _driver.Status);

        Assert.Equal(calls, _device.ProcessCalls);
        Assert.Equal(DeviceNeedsReset, _driver.Status & DeviceNeedsReset);

        _driver.Write(Status, 0);
        var fresh = new SplitQueueDriver(_memory, 16);
        _driver.Initialize(Version1, fresh);
        fresh.AddChain(Segment.Out(0x100000, 8));
        _driver.Notify(0);
        Assert.Equal(1, fresh.UsedIndex);
    }

    [Fact]
    public void NotifyConfigChanged_Bumps_ConfigGeneration_And_Interrupts_A_Running_Driver()
    {
        _transport.NotifyConfigChanged();
        Assert.Equal(0, _interrupt.Count);
        _driver.Initialize(Version1, _queue);

        _transport.NotifyConfigChanged();

        Assert.Equal(2u, _driver.Read(ConfigGeneration));
        Assert.Equal(2u, _driver.Read(InterruptStatus));
        Assert.Equal(1, _interrupt.Count);
    }

    [Fact]
    public void Notifications_From_Another_Thread_Never_Overlap_Register_Accesses()
    {
        _driver.Initialize(Version1, _queue);
        _device.SpinIterations = 100;
        var notifier = new Thread(() =>
        {
            for (int i = 0; i < 2000; i++)
            {
                _transport.NotifyQueue(0);
            }
        });

        notifier.Start();
        while (notifier.IsAlive)
        {
            _driver.Read(Config);
        }

        Assert.Equal(2000, _device.ProcessCalls);
        Assert.False(_device.SawOverlap);
    }
}
