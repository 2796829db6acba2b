using System.Buffers.Binary;

namespace HyperNest.Vmm.Network;

/// <summary>
/// An IPv4 header (RFC 791 §3.1): version and IHL (0, IHL in 32-bit words, at least 5), total length (2–3), flags
/// and fragment offset (6–7), protocol (9), source (12–15), destination (16–19). Fragments are not read: nothing a
/// port learns from is ever fragmented (a DHCP message fits the 576 bytes every host accepts, RFC 2131 §2).
/// </summary>
internal readonly ref struct Ipv4Packet(byte protocol, uint source, uint destination, PacketBytes payload)
{
    public const byte Udp = 17;

    private const int MinimumHeaderLength = 20;

    /// <summary>The More Fragments flag and the 13-bit fragment offset: both zero in an unfragmented packet.</summary>
    private const ushort FragmentBits = 0x3FFF;

    public byte Protocol { get; } = protocol;

    public uint Source { get; } = source;

    public uint Destination { get; } = destination;

    /// <summary>The payload by the total length field: Ethernet padding after it is not part of it.</summary>
    public PacketBytes Payload { get; } = payload;

    /// <param name="bytes">The packet from its header, on the wire as far as the frame goes.</param>
    /// <param name="packet">The header's fields, when this returns true.</param>
    public static bool TryParse(PacketBytes bytes, out Ipv4Packet packet)
    {
        packet = default;
        ReadOnlySpan<byte> header = bytes.Captured;
        if (header.Length < MinimumHeaderLength || header[0] >> 4 != 4)
        {
            return false;
        }

        int headerLength = (header[0] & 0xF) * 4;
        int totalLength = BinaryPrimitives.ReadUInt16BigEndian(header[2..]);
        if (headerLength < MinimumHeaderLength
            || headerLength > header.Length
            || totalLength < headerLength
            || totalLength > bytes.Length
            || (BinaryPrimitives.ReadUInt16BigEndian(header[6..]) & FragmentBits) != 0)
        {
            return false;
        }

        packet = new Ipv4Packet(
            header[9],
            BinaryPrimitives.ReadUInt32BigEndian(header[12..]),
            BinaryPrimitives.ReadUInt32BigEndian(header[16..]),
            bytes.Slice(headerLength, totalLength - headerLength));
        return true;
    }
}
