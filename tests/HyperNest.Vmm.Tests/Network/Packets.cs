using System.Buffers.Binary;
using System.Net;

namespace HyperNest.Vmm.Tests.Network;

/// <summary>Builds the packets the tests send, field by field in the order the RFCs lay them out.</summary>
internal static class Packets
{
    public static readonly byte[] GuestMac = Convert.FromHexString("00155D0A1B2C");
    public static readonly byte[] NestedMac = Convert.FromHexString("00155D0A1B2D");
    public static readonly byte[] RouterMac = Convert.FromHexString("52540012F00D");
    public static readonly byte[] BroadcastMac = Convert.FromHexString("FFFFFFFFFFFF");

    public const ushort Ipv4Type = 0x0800;
    public const ushort ArpType = 0x0806;
    public const ushort Ipv6Type = 0x86DD;

    public static byte[] Ethernet(byte[] destination, byte[] source, ushort etherType, ReadOnlySpan<byte> payload) =>
        [.. destination, .. source, .. BigEndian(etherType), .. payload];

    /// <summary>An 802.1Q-tagged frame: TPID 0x8100 and the tag control word sit before the real EtherType.</summary>
    public static byte[] Tagged(byte[] destination, byte[] source, ushort vlanId, ushort etherType, ReadOnlySpan<byte> payload) =>
        [.. destination, .. source, .. BigEndian(0x8100), .. BigEndian(vlanId), .. BigEndian(etherType), .. payload];

    /// <summary>RFC 826 for Ethernet and IPv4: htype 1, ptype 0x0800, hlen 6, plen 4, op, sha, spa, tha, tpa.</summary>
    public static byte[] Arp(ushort operation, byte[] senderMac, string senderIp, string targetIp) =>
        [.. BigEndian(1), .. BigEndian(Ipv4Type), 6, 4, .. BigEndian(operation), .. senderMac, .. Ip(senderIp), .. new byte[6], .. Ip(targetIp)];

    /// <summary>RFC 791 §3.1 with a 20-byte header (IHL 5), not fragmented.</summary>
    public static byte[] Ipv4(byte protocol, string source, string destination, ReadOnlySpan<byte> payload)
    {
        byte[] packet = [0x45, 0, .. BigEndian((ushort)(20 + payload.Length)), 0, 0, 0, 0, 64, protocol, 0, 0, .. Ip(source), .. Ip(destination), .. payload];
        return packet;
    }

    /// <summary>RFC 768: source port, destination port, length (header included), checksum (0: none).</summary>
    public static byte[] Udp(ushort sourcePort, ushort destinationPort, ReadOnlySpan<byte> payload) =>
        [.. BigEndian(sourcePort), .. BigEndian(destinationPort), .. BigEndian((ushort)(8 + payload.Length)), 0, 0, .. payload];

    /// <summary>RFC 8200 §3: version 6, payload length, next header, hop limit, source, destination.</summary>
    public static byte[] Ipv6(byte nextHeader, string source, string destination, ReadOnlySpan<byte> payload, byte hopLimit = 255) =>
        [0x60, 0, 0, 0, .. BigEndian((ushort)payload.Length), nextHeader, hopLimit, .. Ip(source), .. Ip(destination), .. payload];

    /// <summary>RFC 4861 §4.3 (type 135) and §4.4 (type 136): type, code, checksum, 4 bytes of flags, target.</summary>
    public static byte[] NeighborDiscovery(byte type, string target, byte code = 0) => [type, code, 0, 0, 0, 0, 0, 0, .. Ip(target)];

    public static byte[] ArpFrame(byte[] source, ushort operation, string senderIp, string targetIp, byte[]? senderMac = null) =>
        Ethernet(BroadcastMac, source, ArpType, Arp(operation, senderMac ?? source, senderIp, targetIp));

    /// <summary>A client's DHCP message as a guest broadcasts it: 0.0.0.0:68 → 255.255.255.255:67.</summary>
    public static byte[] ClientDhcpFrame(Dhcp message, byte[]? source = null) =>
        Ethernet(BroadcastMac, source ?? message.ClientMac, Ipv4Type, Ipv4(17, "0.0.0.0", "255.255.255.255", Udp(68, 67, message.ToBytes())));

    /// <summary>A server's DHCP reply as the switch delivers it: 10.0.0.1:67 → client:68.</summary>
    public static byte[] ServerDhcpFrame(Dhcp message) =>
        Ethernet(message.ClientMac, RouterMac, Ipv4Type, Ipv4(17, "10.0.0.1", "255.255.255.255", Udp(67, 68, message.ToBytes())));

    public static byte[] NeighborDiscoveryFrame(byte[] source, string ipSource, byte type, string target, byte hopLimit = 255) =>
        Ethernet(BroadcastMac, source, Ipv6Type, Ipv6(58, ipSource, "ff02::1", NeighborDiscovery(type, target), hopLimit));

    public static byte[] Ip(string address) => IPAddress.Parse(address).GetAddressBytes();

    public static byte[] BigEndian(ushort value)
    {
        byte[] bytes = new byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(bytes, value);
        return bytes;
    }
}
