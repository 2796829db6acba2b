using HyperNest.Vmm.Network;
using static HyperNest.Vmm.Tests.Network.Packets;

namespace HyperNest.Vmm.Tests.Network;

public sealed class EthernetFrameTests
{
    [Fact]
    public void Reads_Destination_Source_EtherType_And_Payload()
    {
        byte[] bytes = Ethernet(BroadcastMac, GuestMac, ArpType, [1, 2, 3]);

        Assert.True(EthernetFrame.TryParse(new PacketBytes(bytes), out EthernetFrame frame));

        Assert.Equal(0xFFFF_FFFF_FFFFUL, frame.Destination);
        Assert.Equal(0x0015_5D0A_1B2CUL, frame.Source);
        Assert.Equal(EtherType.Arp, frame.EtherType);
        Assert.Equal([1, 2, 3], frame.Payload.Captured.ToArray());
        Assert.Equal(3, frame.Payload.Length);
    }

    [Fact]
    public void Steps_Over_An_8021Q_Tag_To_The_Real_EtherType()
    {
        byte[] bytes = Tagged(BroadcastMac, GuestMac, 42, Ipv6Type, [9]);

        Assert.True(EthernetFrame.TryParse(new PacketBytes(bytes), out EthernetFrame frame));

        Assert.Equal(EtherType.Ipv6, frame.EtherType);
        Assert.Equal([9], frame.Payload.Captured.ToArray());
    }

    [Fact]
    public void Steps_Over_An_8021ad_Service_Tag_And_Its_Customer_Tag()
    {
        byte[] inner = Tagged(BroadcastMac, GuestMac, 42, ArpType, [7]);
        byte[] bytes = [.. inner[..12], 0x88, 0xA8, 0x00, 0x05, .. inner[12..]];

        Assert.True(EthernetFrame.TryParse(new PacketBytes(bytes), out EthernetFrame frame));

        Assert.Equal(EtherType.Arp, frame.EtherType);
        Assert.Equal([7], frame.Payload.Captured.ToArray());
    }

    [Fact]
    public void Three_Tags_Are_More_Than_It_Reads()
    {
        byte[] bytes = [.. GuestMac, .. GuestMac, 0x81, 0, 0, 1, 0x81, 0, 0, 2, 0x81, 0, 0, 3, 0x08, 0x06];

        Assert.False(EthernetFrame.TryParse(new PacketBytes(bytes), out _));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(13)]
    public void A_Frame_Shorter_Than_Its_Header_Is_No_Frame(int length)
    {
        Assert.False(EthernetFrame.TryParse(new PacketBytes(new byte[length], length), out _));
    }

    [Fact]
    public void A_Tagged_Frame_That_Ends_Inside_Its_Tag_Is_No_Frame()
    {
        byte[] bytes = Tagged(BroadcastMac, GuestMac, 42, ArpType, [])[..16];

        Assert.False(EthernetFrame.TryParse(new PacketBytes(bytes), out _));
    }

    [Fact]
    public void Payload_Holds_What_The_Head_Captured_And_The_Length_The_Frame_Has()
    {
        byte[] bytes = Ethernet(BroadcastMac, GuestMac, Ipv4Type, new byte[100]);

        Assert.True(EthernetFrame.TryParse(new PacketBytes(bytes.AsSpan(0, 64), 1514), out EthernetFrame frame));

        Assert.Equal(50, frame.Payload.Captured.Length);
        Assert.Equal(1500, frame.Payload.Length);
    }
}
