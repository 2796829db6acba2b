using System.Buffers.Binary;

namespace HyperNest.Vmm.Network;

/// <summary>
/// An Ethernet II frame's header (IEEE 802.3 §3.1.1: destination 0–5, source 6–11, EtherType 12–13), with up to two
/// VLAN tags stepped over to reach the EtherType of the payload (IEEE 802.1Q §9.6: each tag is a 2-byte TPID,
/// 0x8100 or 0x88A8, and a 2-byte tag control word). No frame check sequence: virtio-net and TAP carry none.
/// </summary>
internal readonly ref struct EthernetFrame(ulong destination, ulong source, ushort etherType, PacketBytes payload)
{
    public const int HeaderLength = 14;

    private const int TagLength = 4;
    private const int MaxTags = 2;

    public ulong Destination { get; } = destination;

    public ulong Source { get; } = source;

    /// <summary>The payload's EtherType, after any VLAN tags.</summary>
    public ushort EtherType { get; } = etherType;

    public PacketBytes Payload { get; } = payload;

    /// <param name="frame">The frame from its destination MAC, whole or its first bytes.</param>
    /// <param name="header">The header's fields, when this returns true.</param>
    public static bool TryParse(PacketBytes frame, out EthernetFrame header)
    {
        header = default;
        ReadOnlySpan<byte> bytes = frame.Captured;
        if (bytes.Length < HeaderLength || frame.Length < bytes.Length)
        {
            return false;
        }

        int offset = 12;
        ushort etherType = BinaryPrimitives.ReadUInt16BigEndian(bytes[offset..]);
        for (int tags = 0; IsVlanTag(etherType); tags++)
        {
            offset += TagLength;
            if (tags == MaxTags || bytes.Length < offset + 2)
            {
                return false;
            }

            etherType = BinaryPrimitives.ReadUInt16BigEndian(bytes[offset..]);
        }

        int headerLength = offset + 2;
        header = new EthernetFrame(
            EthernetAddress.Read(bytes), EthernetAddress.Read(bytes[6..]), etherType, frame.Slice(headerLength, frame.Length - headerLength));
        return true;
    }

    private static bool IsVlanTag(ushort etherType) => etherType is Network.EtherType.CustomerVlan or Network.EtherType.ServiceVlan;
}
