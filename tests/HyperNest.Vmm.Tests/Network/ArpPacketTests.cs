using HyperNest.Vmm.Network;
using static HyperNest.Vmm.Tests.Network.Packets;

namespace HyperNest.Vmm.Tests.Network;

public sealed class ArpPacketTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Reads_A_Request_Or_Reply_For_Ethernet_And_IPv4(ushort operation)
    {
        Assert.True(ArpPacket.TryParse(Arp(operation, GuestMac, "10.0.0.5", "10.0.0.1"), out ArpPacket arp));

        Assert.Equal(operation, arp.Operation);
        Assert.Equal(0x0015_5D0A_1B2CUL, arp.SenderHardwareAddress);
        Assert.Equal(0x0A00_0005u, arp.SenderProtocolAddress);
        Assert.Equal(0x0A00_0001u, arp.TargetProtocolAddress);
    }

    [Theory]
    [InlineData(0, 0x01)] // hardware type 0x0101: not Ethernet (1)
    [InlineData(1, 0x06)] // hardware type 6: IEEE 802 networks
    [InlineData(2, 0x86)] // protocol type 0x86DD: not IPv4
    [InlineData(4, 8)] // hardware address length: not 6
    [InlineData(5, 16)] // protocol address length: not 4
    [InlineData(7, 3)] // operation 3: RARP request (RFC 903)
    public void Reads_Nothing_But_Ethernet_IPv4_Requests_And_Replies(int offset, byte value)
    {
        byte[] packet = Arp(1, GuestMac, "10.0.0.5", "10.0.0.1");
        packet[offset] = value;

        Assert.False(ArpPacket.TryParse(packet, out _));
    }

    [Fact]
    public void A_Packet_Cut_Short_Of_Its_Target_Address_Is_No_Packet()
    {
        Assert.False(ArpPacket.TryParse(Arp(1, GuestMac, "10.0.0.5", "10.0.0.1")[..27], out _));
    }
}
