using System.Buffers.Binary;

namespace HyperNest.Vmm.Network;

/// <summary>
/// An IPv6 fixed header (RFC 8200 §3): version (high 4 bits of 0), payload length (4–5), next header (6), hop limit
/// (7), source (8–23), destination (24–39). Extension headers are not followed: Neighbor Discovery carries none.
/// </summary>
internal readonly ref struct Ipv6Packet
{
    public const int HeaderLength = 40;

    private Ipv6Packet(byte nextHeader, byte hopLimit, ReadOnlySpan<byte> source, ReadOnlySpan<byte> payload, int payloadLength)
    {
        NextHeader = nextHeader;
        HopLimit = hopLimit;
        Source = source;
        Payload = payload;
        PayloadLength = payloadLength;
    }

    public byte NextHeader { get; }

    public byte HopLimit { get; }

    /// <summary>The 16 bytes of the source address.</summary>
    public ReadOnlySpan<byte> Source { get; }

    /// <summary>The part of the payload the head holds, never past the payload length.</summary>
    public ReadOnlySpan<byte> Payload { get; }

    /// <summary>The payload's length by the header.</summary>
    public int PayloadLength { get; }

    /// <param name="bytes">The packet from its header, whole or its first bytes.</param>
    /// <param name="wireLength">How many bytes the frame carries from the header on: the payload length must fit.</param>
    /// <param name="packet">The header's fields, when this returns true.</param>
    public static bool TryParse(ReadOnlySpan<byte> bytes, long wireLength, out Ipv6Packet packet)
    {
        packet = default;
        if (bytes.Length < HeaderLength || bytes[0] >> 4 != 6)
        {
            return false;
        }

        int payloadLength = BinaryPrimitives.ReadUInt16BigEndian(bytes[4..]);
        if (HeaderLength + payloadLength > wireLength)
        {
            return false;
        }

        packet = new Ipv6Packet(
            bytes[6], bytes[7], bytes[8..24], bytes[HeaderLength..Math.Min(HeaderLength + payloadLength, bytes.Length)], payloadLength);
        return true;
    }
}
