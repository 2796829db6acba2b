namespace HyperNest.Vmm.Network;

/// <summary>
/// A Neighbor Solicitation (RFC 4861 §4.3, ICMPv6 type 135) or Advertisement (§4.4, type 136): type (0), code (1),
/// checksum (2–3), 4 bytes of reserved or flags, target address (8–23), then options. Read only when it passes the
/// checks of §7.1.1 and §7.1.2 that need no checksum: next header 58 straight after the fixed header, hop limit 255
/// (so it never crossed a router), code 0, at least 24 bytes.
/// </summary>
internal readonly ref struct NeighborDiscoveryMessage(byte type, ReadOnlySpan<byte> target)
{
    public const byte NeighborSolicitation = 135;
    public const byte NeighborAdvertisement = 136;

    private const byte Icmpv6 = 58;
    private const byte LinkHopLimit = 255;
    private const int MinimumLength = 24;

    public byte Type { get; } = type;

    /// <summary>The 16 bytes of the address solicited or advertised.</summary>
    public ReadOnlySpan<byte> Target { get; } = target;

    public static bool TryParse(in Ipv6Packet packet, out NeighborDiscoveryMessage message)
    {
        message = default;
        ReadOnlySpan<byte> icmp = packet.Payload.Captured;
        if (packet.NextHeader != Icmpv6
            || packet.HopLimit != LinkHopLimit
            || icmp.Length < MinimumLength
            || icmp[0] is not (NeighborSolicitation or NeighborAdvertisement)
            || icmp[1] != 0)
        {
            return false;
        }

        message = new NeighborDiscoveryMessage(icmp[0], icmp[8..24]);
        return true;
    }
}
