using System.Text.Json.Serialization;
using HyperNest.Vmm.Json;

namespace HyperNest.Vmm.Devices.Virtio;

/// <summary>The device status field (virtio 1.2 §2.1). The driver sets the bits in this order; writing 0 resets.</summary>
[JsonConverter(typeof(EnumNameConverter<VirtioDeviceStatus>))]
[Flags]
public enum VirtioDeviceStatus : byte
{
    None = 0,
    Acknowledge = 1,
    Driver = 2,
    DriverOk = 4,
    FeaturesOk = 8,

    /// <summary>Set by the device only: it hit an error it cannot recover from without a reset.</summary>
    DeviceNeedsReset = 0x40,
    Failed = 0x80,
}
