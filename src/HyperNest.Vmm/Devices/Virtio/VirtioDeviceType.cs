namespace HyperNest.Vmm.Devices.Virtio;

/// <summary>Virtio device IDs (virtio 1.2 §5, "Device Types"), as read from the MMIO DeviceID register.</summary>
public enum VirtioDeviceType : uint
{
    Network = 1,
    Block = 2,
    Console = 3,
    Entropy = 4,
    Balloon = 5,
    Memory = 24,
}
