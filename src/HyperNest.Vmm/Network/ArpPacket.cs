using System.Buffers.Binary;

namespace HyperNest.Vmm.Network;

/// <summary>
/// An ARP request or reply for IPv4 over Ethernet (RFC 826, "Packet format"): hardware type 1 (0–1), protocol type
/// 0x0800 (2–3), hardware length 6 (4), protocol length 4 (5), operation (6–7), sender MAC (8–13), sender IPv4
/// (14–17), target MAC (18–23), target IPv4 (24–27). Probes and announcements (RFC 5227 §2.1.1, §2.3) are requests.
/// </summary>
/// <param name="Operation"><see cref="Request"/> or <see cref="Reply"/>.</param>
/// <param name="SenderHardwareAddress">The sender's MAC.</param>
/// <param name="SenderProtocolAddress">The sender's IPv4 address, first octet highest; 0.0.0.0 in a probe.</param>
/// <param name="TargetProtocolAddress">The IPv4 address asked about or answered to.</param>
internal readonly record struct ArpPacket(ushort Operation, ulong SenderHardwareAddress, uint SenderProtocolAddress, uint TargetProtocolAddress)
{
    public const ushort Request = 1;
    public const ushort Reply = 2;

    private const int Length = 28;
    private const ushort EthernetHardware = 1;

    /// <param name="bytes">The Ethernet payload.</param>
    /// <param name="packet">The packet's fields, when this returns true.</param>
    public static bool TryParse(ReadOnlySpan<byte> bytes, out ArpPacket packet)
    {
        packet = default;
        if (bytes.Length < Length
            || BinaryPrimitives.ReadUInt16BigEndian(bytes) != EthernetHardware
            || BinaryPrimitives.ReadUInt16BigEndian(bytes[2..]) != EtherType.Ipv4
            || bytes[4] != EthernetAddress.Length
            || bytes[5] != sizeof(uint))
        {
            return false;
        }

        ushort operation = BinaryPrimitives.ReadUInt16BigEndian(bytes[6..]);
        if (operation is not (Request or Reply))
        {
            return false;
        }

        packet = new ArpPacket(
            operation,
            EthernetAddress.Read(bytes[8..]),
            BinaryPrimitives.ReadUInt32BigEndian(bytes[14..]),
            BinaryPrimitives.ReadUInt32BigEndian(bytes[24..]));
        return true;
    }
}
