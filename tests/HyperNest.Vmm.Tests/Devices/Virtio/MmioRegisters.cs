namespace HyperNest.Vmm.Tests.Devices.Virtio;

/// <summary>virtio 1.2 §4.2.2 register offsets, written out independently of the implementation.</summary>
internal static class MmioRegisters
{
    public const ulong MagicValue = 0x000, Version = 0x004, DeviceId = 0x008, VendorId = 0x00c;
    public const ulong DeviceFeatures = 0x010, DeviceFeaturesSel = 0x014, DriverFeatures = 0x020, DriverFeaturesSel = 0x024;
    public const ulong QueueSel = 0x030, QueueNumMax = 0x034, QueueNum = 0x038, QueueReady = 0x044, QueueNotify = 0x050;
    public const ulong InterruptStatus = 0x060, InterruptAck = 0x064, Status = 0x070;
    public const ulong QueueDescLow = 0x080, QueueDescHigh = 0x084, QueueDriverLow = 0x090, QueueDriverHigh = 0x094;
    public const ulong QueueDeviceLow = 0x0a0, QueueDeviceHigh = 0x0a4, ConfigGeneration = 0x0fc, Config = 0x100;

    public const uint Acknowledge = 1, Driver = 2, DriverOk = 4, FeaturesOk = 8, DeviceNeedsReset = 0x40, Failed = 0x80;

    public const ulong Version1 = 1UL << 32, IndirectDescriptors = 1UL << 28, EventIndex = 1UL << 29;
}
