using System.Buffers.Binary;

namespace HyperNest.Vmm.Network;

/// <summary>
/// An IPv6 fixed header (RFC 8200 §3): version (high 4 bits of 0), payload length (4–5), next header (6), hop limit
/// (7), source (8–23), destination (24–39). Extension headers are not followed: Neighbor Discovery carries none.
/// </summary>
internal readonly ref struct Ipv6Packet(byte nextHeader, byte hopLimit, ReadOnlySpan<byte> source, PacketBytes payload)
{
    private const int HeaderLength = 40;

    public byte NextHeader { get; } = nextHeader;

    public byte HopLimit { get; } = hopLimit;

    /// <summary>The 16 bytes of the source address.</summary>
    public ReadOnlySpan<byte> Source { get; } = source;

    /// <summary>The payload by the payload length field.</summary>
    public PacketBytes Payload { get; } = payload;

    /// <param name="bytes">The packet from its header, on the wire as far as the frame goes.</param>
    /// <param name="packet">The header's fields, when this returns true.</param>
    public static bool TryParse(PacketBytes bytes, out Ipv6Packet packet)
    {
        packet = default;
        ReadOnlySpan<byte> header = bytes.Captured;
        if (header.Length < HeaderLength || header[0] >> 4 != 6)
        {
            return false;
        }

        int payloadLength = BinaryPrimitives.ReadUInt16BigEndian(header[4..]);
        if (HeaderLength + payloadLength > bytes.Length)
        {
            return false;
        }

        packet = new Ipv6Packet(header[6], header[7], header[8..24], bytes.Slice(HeaderLength, payloadLength));
        return true;
    }
}
