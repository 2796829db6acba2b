using System.Buffers.Binary;

namespace HyperNest.Vmm.Network;

/// <summary>
/// An IPv4 header (RFC 791 §3.1): version and IHL (0, IHL in 32-bit words, at least 5), total length (2–3), flags
/// and fragment offset (6–7), protocol (9), source (12–15), destination (16–19). Fragments are not read: nothing a
/// port learns from is ever fragmented (a DHCP message fits the 576 bytes every host accepts, RFC 2131 §2).
/// </summary>
internal readonly ref struct Ipv4Packet
{
    public const byte Udp = 17;

    private const int MinimumHeaderLength = 20;

    /// <summary>The More Fragments flag and the 13-bit fragment offset: both zero in an unfragmented packet.</summary>
    private const ushort FragmentBits = 0x3FFF;

    private Ipv4Packet(byte protocol, uint source, uint destination, ReadOnlySpan<byte> payload, int payloadLength)
    {
        Protocol = protocol;
        Source = source;
        Destination = destination;
        Payload = payload;
        PayloadLength = payloadLength;
    }

    public byte Protocol { get; }

    public uint Source { get; }

    public uint Destination { get; }

    /// <summary>The part of the payload the head holds, never past the total length (so no Ethernet padding).</summary>
    public ReadOnlySpan<byte> Payload { get; }

    /// <summary>The payload's length by the total length field.</summary>
    public int PayloadLength { get; }

    /// <param name="bytes">The packet from its header, whole or its first bytes.</param>
    /// <param name="wireLength">How many bytes the frame carries from the header on: the total length must fit.</param>
    /// <param name="packet">The header's fields, when this returns true.</param>
    public static bool TryParse(ReadOnlySpan<byte> bytes, long wireLength, out Ipv4Packet packet)
    {
        packet = default;
        if (bytes.Length < MinimumHeaderLength || bytes[0] >> 4 != 4)
        {
            return false;
        }

        int headerLength = (bytes[0] & 0xF) * 4;
        int totalLength = BinaryPrimitives.ReadUInt16BigEndian(bytes[2..]);
        if (headerLength < MinimumHeaderLength
            || headerLength > bytes.Length
            || totalLength < headerLength
            || totalLength > wireLength
            || (BinaryPrimitives.ReadUInt16BigEndian(bytes[6..]) & FragmentBits) != 0)
        {
            return false;
        }

        packet = new Ipv4Packet(
            bytes[9],
            BinaryPrimitives.ReadUInt32BigEndian(bytes[12..]),
            BinaryPrimitives.ReadUInt32BigEndian(bytes[16..]),
            bytes[headerLength..Math.Min(totalLength, bytes.Length)],
            totalLength - headerLength);
        return true;
    }
}
