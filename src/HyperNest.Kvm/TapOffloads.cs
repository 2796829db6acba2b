namespace HyperNest.Kvm;

/// <summary>
/// TUN_F_* (include/uapi/linux/if_tun.h): the offloads a TAP device may leave undone in the frames it hands to user
/// space (TUNSETOFFLOAD) — partial checksums and segmentation the reader (a guest) finishes itself. TSO and UFO
/// need <see cref="Checksum"/>.
/// </summary>
[Flags]
public enum TapOffloads : uint
{
    None = 0,
    Checksum = 0x01,
    Tso4 = 0x02,
    Tso6 = 0x04,
    TsoEcn = 0x08,
    Ufo = 0x10,
}
