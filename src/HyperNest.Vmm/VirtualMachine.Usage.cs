using HyperNest.Vmm.Devices.Virtio;

namespace HyperNest.Vmm;

/// <summary>Measure-VM's device figures: what the VM's disks and network adapters moved.</summary>
public sealed partial class VirtualMachine
{
    /// <summary>What the disks and network adapters moved since the VM was built.</summary>
    public DeviceUsage DeviceUsage()
    {
        Block[] disks = [.. _virtio.Select(v => v.Device).OfType<Block>()];
        return new DeviceUsage
        {
            DiskBytesRead = disks.Sum(d => d.BytesRead),
            DiskBytesWritten = disks.Sum(d => d.BytesWritten),
            DiskCapacityBytes = disks.Sum(d => (long)d.CapacitySectors * Block.SectorSize),
            NetworkBytesReceived = _networkAdapters.Sum(n => n.ReceivedBytes),
            NetworkBytesSent = _networkAdapters.Sum(n => n.TransmittedBytes),
        };
    }
}
