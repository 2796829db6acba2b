using HyperNest.Vmm.Network;
using static HyperNest.Vmm.Tests.Network.Packets;

namespace HyperNest.Vmm.Tests.Network;

public sealed class Ipv4PacketTests
{
    private static readonly byte[] Packet = Ipv4(17, "10.0.0.5", "10.0.0.1", [1, 2, 3, 4]);

    [Fact]
    public void Reads_Protocol_Addresses_And_Payload()
    {
        Assert.True(Ipv4Packet.TryParse(new PacketBytes(Packet), out Ipv4Packet packet));

        Assert.Equal(17, packet.Protocol);
        Assert.Equal(0x0A00_0005u, packet.Source);
        Assert.Equal(0x0A00_0001u, packet.Destination);
        Assert.Equal([1, 2, 3, 4], packet.Payload.Captured.ToArray());
        Assert.Equal(4, packet.Payload.Length);
    }

    [Fact]
    public void Payload_Starts_After_The_Options_The_Header_Length_Counts()
    {
        byte[] bytes = [.. Packet[..20], 1, 1, 1, 0, 1, 2, 3, 4];
        bytes[0] = 0x46;
        bytes[3] += 4;

        Assert.True(Ipv4Packet.TryParse(new PacketBytes(bytes), out Ipv4Packet packet));

        Assert.Equal([1, 2, 3, 4], packet.Payload.Captured.ToArray());
    }

    [Fact]
    public void Payload_Ends_At_The_Total_Length_Not_At_The_Ethernet_Padding()
    {
        byte[] padded = [.. Packet, 0, 0, 0, 0, 0, 0];

        Assert.True(Ipv4Packet.TryParse(new PacketBytes(padded), out Ipv4Packet packet));

        Assert.Equal(4, packet.Payload.Captured.Length);
    }

    [Fact]
    public void A_Head_Cut_Short_Holds_Part_Of_The_Payload_And_The_Whole_Length()
    {
        Assert.True(Ipv4Packet.TryParse(new PacketBytes(Packet.AsSpan(0, 22), Packet.Length), out Ipv4Packet packet));

        Assert.Equal([1, 2], packet.Payload.Captured.ToArray());
        Assert.Equal(4, packet.Payload.Length);
    }

    [Theory]
    [InlineData(0, 0x65)] // version 6
    [InlineData(0, 0x44)] // header length 16 bytes: less than the fixed header
    [InlineData(0, 0x4F)] // header length 60 bytes: more than the packet
    [InlineData(3, 19)] // total length less than the header
    [InlineData(3, 25)] // total length more than the frame carries
    [InlineData(6, 0x20)] // more fragments
    [InlineData(7, 0x01)] // a fragment offset
    public void Reads_Nothing_From_A_Header_Whose_Lengths_Or_Fragmenting_Do_Not_Hold(int offset, byte value)
    {
        byte[] bytes = [.. Packet];
        bytes[offset] = value;

        Assert.False(Ipv4Packet.TryParse(new PacketBytes(bytes), out _));
    }

    [Fact]
    public void A_Head_Shorter_Than_The_Fixed_Header_Is_No_Packet()
    {
        Assert.False(Ipv4Packet.TryParse(new PacketBytes(Packet.AsSpan(0, 19), Packet.Length), out _));
    }
}
