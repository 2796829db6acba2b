using System.Buffers.Binary;

namespace HyperNest.Vmm.Network;

/// <summary>A UDP datagram (RFC 768): source port (0–1), destination port (2–3), length with the header (4–5), checksum.</summary>
internal readonly ref struct UdpDatagram(ushort sourcePort, ushort destinationPort, PacketBytes payload)
{
    private const int HeaderLength = 8;

    public ushort SourcePort { get; } = sourcePort;

    public ushort DestinationPort { get; } = destinationPort;

    /// <summary>The payload by the UDP length field.</summary>
    public PacketBytes Payload { get; } = payload;

    /// <param name="bytes">The IP payload: the UDP length must fit in it.</param>
    /// <param name="datagram">The header's fields, when this returns true.</param>
    public static bool TryParse(PacketBytes bytes, out UdpDatagram datagram)
    {
        datagram = default;
        ReadOnlySpan<byte> header = bytes.Captured;
        if (header.Length < HeaderLength)
        {
            return false;
        }

        int length = BinaryPrimitives.ReadUInt16BigEndian(header[4..]);
        if (length < HeaderLength || length > bytes.Length)
        {
            return false;
        }

        datagram = new UdpDatagram(
            BinaryPrimitives.ReadUInt16BigEndian(header),
            BinaryPrimitives.ReadUInt16BigEndian(header[2..]),
            bytes.Slice(HeaderLength, length - HeaderLength));
        return true;
    }
}
