using HyperNest.Vmm.Network;
using static HyperNest.Vmm.Tests.Network.Packets;

namespace HyperNest.Vmm.Tests.Network;

public sealed class NeighborDiscoveryMessageTests
{
    [Theory]
    [InlineData(NeighborDiscoveryMessage.NeighborSolicitation)]
    [InlineData(NeighborDiscoveryMessage.NeighborAdvertisement)]
    public void Reads_Solicitations_And_Advertisements_With_Their_Target(byte type)
    {
        (byte Type, byte[] Target)? message = Read(Ipv6(58, "fe80::1", "ff02::1", NeighborDiscovery(type, "2001:db8::7")));

        Assert.Equal((type, Ip("2001:db8::7")), message);
    }

    [Fact]
    public void The_Ipv6_Header_Gives_Source_Hop_Limit_And_Next_Header()
    {
        byte[] bytes = Ipv6(58, "fe80::1", "ff02::1", NeighborDiscovery(135, "fe80::1"), hopLimit: 7);

        Assert.True(Ipv6Packet.TryParse(new PacketBytes(bytes), out Ipv6Packet packet));

        Assert.Equal(58, packet.NextHeader);
        Assert.Equal(7, packet.HopLimit);
        Assert.Equal(Ip("fe80::1"), packet.Source.ToArray());
        Assert.Equal(24, packet.Payload.Length);
    }

    [Fact]
    public void An_Ipv6_Payload_Length_Beyond_The_Frame_Is_Malformed()
    {
        byte[] bytes = Ipv6(58, "fe80::1", "ff02::1", NeighborDiscovery(135, "fe80::1"));

        Assert.False(Ipv6Packet.TryParse(new PacketBytes(bytes, bytes.Length - 1), out _));
    }

    [Theory]
    [InlineData(0, 0x40)] // IPv6 version field: 4
    [InlineData(6, 17)] // next header: UDP, not ICMPv6
    [InlineData(7, 64)] // hop limit: not 255, so it came through a router (RFC 4861 §7.1.1)
    [InlineData(40, 128)] // ICMPv6 type: echo request
    [InlineData(41, 1)] // ICMPv6 code: not 0
    public void Reads_Only_Neighbor_Discovery_That_Passes_The_Validity_Checks(int offset, byte value)
    {
        byte[] bytes = Ipv6(58, "fe80::1", "ff02::1", NeighborDiscovery(136, "fe80::1"));
        bytes[offset] = value;

        Assert.Null(Read(bytes));
    }

    [Fact]
    public void A_Message_Shorter_Than_24_Bytes_Is_Malformed()
    {
        Assert.Null(Read(Ipv6(58, "fe80::1", "ff02::1", NeighborDiscovery(136, "fe80::1")[..23])));
    }

    private static (byte Type, byte[] Target)? Read(byte[] bytes) =>
        Ipv6Packet.TryParse(new PacketBytes(bytes), out Ipv6Packet packet) && NeighborDiscoveryMessage.TryParse(packet, out NeighborDiscoveryMessage message)
            ? (message.Type, message.Target.ToArray())
            : null;
}
