namespace HyperNest.Vmm.Network;

/// <summary>
/// A switch port's counters at one moment. Bytes are whole frames from the destination MAC on, without the virtio
/// header. Dropped frames count only in their Dropped* counter.
/// </summary>
/// <param name="TransmittedFrames">Frames from the guest the port forwarded.</param>
/// <param name="TransmittedBytes">Their bytes.</param>
/// <param name="ReceivedFrames">Frames delivered to the guest.</param>
/// <param name="ReceivedBytes">Their bytes.</param>
/// <param name="DroppedSpoofedFrames">Frames from the guest dropped for their source MAC: a group or zero address, or
/// another MAC than the adapter's while MAC address spoofing is off.</param>
/// <param name="DroppedMalformedFrames">Frames from the guest dropped for being shorter than an Ethernet header.</param>
public sealed record SwitchPortCounters(
    long TransmittedFrames,
    long TransmittedBytes,
    long ReceivedFrames,
    long ReceivedBytes,
    long DroppedSpoofedFrames,
    long DroppedMalformedFrames);
