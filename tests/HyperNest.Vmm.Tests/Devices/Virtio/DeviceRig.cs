using HyperNest.Vmm.Devices.Virtio;
using HyperNest.Vmm.Memory;

namespace HyperNest.Vmm.Tests.Devices.Virtio;

/// <summary>A device behind a transport in 16 MiB of guest memory, with queue 0 set up by a Linux-like driver.</summary>
internal sealed class DeviceRig : IDisposable
{
    public const ulong AllFeatures = ulong.MaxValue;

    private DeviceRig(IVirtioDevice device, ushort queueSize)
    {
        Memory = new GuestMemory(16 * MemoryLayout.MiB);
        Interrupt = new RecordingInterruptLine();
        Transport = new MmioTransport(device, Memory, Interrupt);
        Driver = new MmioDriver(Transport);
        Queue = new SplitQueueDriver(Memory, queueSize);
    }

    public GuestMemory Memory { get; }

    public RecordingInterruptLine Interrupt { get; }

    public MmioTransport Transport { get; }

    public MmioDriver Driver { get; }

    public SplitQueueDriver Queue { get; }

    /// <summary>Starts <paramref name="device"/> accepting every offered feature in <paramref name="accept"/>.</summary>
    public static DeviceRig Start(IVirtioDevice device, ulong accept = AllFeatures, ushort queueSize = 16)
    {
        var rig = new DeviceRig(device, queueSize);
        rig.Driver.Initialize(rig.Driver.DeviceFeatures & accept, rig.Queue);
        return rig;
    }

    /// <summary>Notifies queue 0 and returns the used element the device added for <paramref name="head"/>.</summary>
    public uint Complete(ushort head) => Queue.Complete(Driver, head);

    public void Dispose()
    {
        (Transport.Device as IDisposable)?.Dispose();
        Memory.Dispose();
    }
}
