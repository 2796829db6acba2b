namespace HyperNest.Vmm.Network;

/// <summary>
/// Work a backend may leave undone in the frames it hands to the guest, because the guest negotiated finishing it
/// (virtio 1.2 §5.1.3: GUEST_CSUM, GUEST_TSO4, GUEST_TSO6, GUEST_ECN, GUEST_UFO): partial checksums and segments
/// larger than the MTU. TSO and UFO need <see cref="Checksum"/>.
/// </summary>
[Flags]
public enum NetworkOffloads
{
    None = 0,
    Checksum = 1 << 0,
    Tso4 = 1 << 1,
    Tso6 = 1 << 2,
    TsoEcn = 1 << 3,
    Ufo = 1 << 4,
}
