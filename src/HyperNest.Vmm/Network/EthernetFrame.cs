using System.Buffers.Binary;

namespace HyperNest.Vmm.Network;

/// <summary>
/// An Ethernet II frame's header (IEEE 802.3 §3.1.1: destination 0–5, source 6–11, EtherType 12–13), with up to two
/// VLAN tags stepped over to reach the EtherType of the payload (IEEE 802.1Q §9.6: each tag is a 2-byte TPID,
/// 0x8100 or 0x88A8, and a 2-byte tag control word). No frame check sequence: virtio-net and TAP carry none.
/// </summary>
internal readonly ref struct EthernetFrame
{
    public const int HeaderLength = 14;

    private const int TagLength = 4;
    private const int MaxTags = 2;

    private EthernetFrame(ulong destination, ulong source, ushort etherType, ReadOnlySpan<byte> payload, long payloadLength)
    {
        Destination = destination;
        Source = source;
        EtherType = etherType;
        Payload = payload;
        PayloadLength = payloadLength;
    }

    public ulong Destination { get; }

    public ulong Source { get; }

    /// <summary>The payload's EtherType, after any VLAN tags.</summary>
    public ushort EtherType { get; }

    /// <summary>The part of the payload the head holds; it may end before the frame does.</summary>
    public ReadOnlySpan<byte> Payload { get; }

    /// <summary>The payload's length in the whole frame.</summary>
    public long PayloadLength { get; }

    /// <param name="head">The frame from its destination MAC, whole or its first bytes.</param>
    /// <param name="frameLength">The whole frame's length.</param>
    /// <param name="frame">The header's fields, when this returns true.</param>
    public static bool TryParse(ReadOnlySpan<byte> head, long frameLength, out EthernetFrame frame)
    {
        frame = default;
        if (head.Length < HeaderLength || frameLength < head.Length)
        {
            return false;
        }

        int offset = 12;
        ushort etherType = BinaryPrimitives.ReadUInt16BigEndian(head[offset..]);
        for (int tags = 0; IsVlanTag(etherType); tags++)
        {
            offset += TagLength;
            if (tags == MaxTags || head.Length < offset + 2)
            {
                return false;
            }

            etherType = BinaryPrimitives.ReadUInt16BigEndian(head[offset..]);
        }

        int headerLength = offset + 2;
        frame = new EthernetFrame(
            EthernetAddress.Read(head), EthernetAddress.Read(head[6..]), etherType, head[headerLength..], frameLength - headerLength);
        return true;
    }

    private static bool IsVlanTag(ushort etherType) => etherType is Network.EtherType.CustomerVlan or Network.EtherType.ServiceVlan;
}
