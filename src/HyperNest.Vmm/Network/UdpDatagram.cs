using System.Buffers.Binary;

namespace HyperNest.Vmm.Network;

/// <summary>A UDP datagram (RFC 768): source port (0–1), destination port (2–3), length with the header (4–5), checksum.</summary>
internal readonly ref struct UdpDatagram
{
    private const int HeaderLength = 8;

    private UdpDatagram(ushort sourcePort, ushort destinationPort, ReadOnlySpan<byte> payload)
    {
        SourcePort = sourcePort;
        DestinationPort = destinationPort;
        Payload = payload;
    }

    public ushort SourcePort { get; }

    public ushort DestinationPort { get; }

    /// <summary>The part of the payload the head holds, never past the UDP length.</summary>
    public ReadOnlySpan<byte> Payload { get; }

    /// <param name="bytes">The datagram from its header, whole or its first bytes.</param>
    /// <param name="wireLength">The IP payload's length: the UDP length must fit in it.</param>
    /// <param name="datagram">The header's fields, when this returns true.</param>
    public static bool TryParse(ReadOnlySpan<byte> bytes, int wireLength, out UdpDatagram datagram)
    {
        datagram = default;
        if (bytes.Length < HeaderLength)
        {
            return false;
        }

        int length = BinaryPrimitives.ReadUInt16BigEndian(bytes[4..]);
        if (length < HeaderLength || length > wireLength)
        {
            return false;
        }

        datagram = new UdpDatagram(
            BinaryPrimitives.ReadUInt16BigEndian(bytes),
            BinaryPrimitives.ReadUInt16BigEndian(bytes[2..]),
            bytes[HeaderLength..Math.Min(length, bytes.Length)]);
        return true;
    }
}
