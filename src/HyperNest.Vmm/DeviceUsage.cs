namespace HyperNest.Vmm;

/// <summary>
/// What a VM's devices moved since it was built (Measure-VM's disk and network figures), in bytes as the guest sees
/// them: data of successful block requests, Ethernet frames without the virtio_net_hdr.
/// </summary>
public sealed record DeviceUsage
{
    public long DiskBytesRead { get; init; }

    public long DiskBytesWritten { get; init; }

    /// <summary>The disks' sizes as the guest sees them, summed.</summary>
    public long DiskCapacityBytes { get; init; }

    /// <summary>Frames delivered into the guest (inbound).</summary>
    public long NetworkBytesReceived { get; init; }

    /// <summary>Frames the guest sent that left the VM (outbound).</summary>
    public long NetworkBytesSent { get; init; }
}
