using HyperNest.Vmm.Network;
using static HyperNest.Vmm.Tests.Network.Packets;

namespace HyperNest.Vmm.Tests.Network;

public sealed class UdpDatagramTests
{
    private static readonly byte[] Datagram = Udp(68, 67, [1, 2, 3]);

    [Fact]
    public void Reads_Ports_And_Payload()
    {
        Assert.True(UdpDatagram.TryParse(new PacketBytes(Datagram), out UdpDatagram udp));

        Assert.Equal(68, udp.SourcePort);
        Assert.Equal(67, udp.DestinationPort);
        Assert.Equal([1, 2, 3], udp.Payload.Captured.ToArray());
    }

    [Fact]
    public void Payload_Ends_At_The_Udp_Length()
    {
        byte[] bytes = [.. Datagram, 0xEE, 0xEE];

        Assert.True(UdpDatagram.TryParse(new PacketBytes(bytes), out UdpDatagram udp));

        Assert.Equal([1, 2, 3], udp.Payload.Captured.ToArray());
    }

    [Theory]
    [InlineData(7)] // less than its own header
    [InlineData(12)] // more than the IP packet carries
    public void Reads_Nothing_When_The_Length_Field_Does_Not_Hold(byte length)
    {
        byte[] bytes = [.. Datagram];
        bytes[5] = length;

        Assert.False(UdpDatagram.TryParse(new PacketBytes(bytes), out _));
    }

    [Fact]
    public void A_Head_Shorter_Than_The_Header_Is_No_Datagram()
    {
        Assert.False(UdpDatagram.TryParse(new PacketBytes(Datagram.AsSpan(0, 7), Datagram.Length), out _));
    }
}
