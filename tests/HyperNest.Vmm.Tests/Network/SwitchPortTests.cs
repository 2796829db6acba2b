using HyperNest.Vmm.Network;
using static HyperNest.Vmm.Tests.Network.Packets;

namespace HyperNest.Vmm.Tests.Network;

/// <summary>What a port forwards and counts. What it learns: <see cref="SwitchPortLearningTests"/>.</summary>
public sealed class SwitchPortTests
{
    private static readonly byte[] TcpFromGuest = Ethernet(RouterMac, GuestMac, Ipv4Type, Ipv4(6, "10.0.0.5", "10.0.0.1", new byte[40]));
    private static readonly byte[] TcpFromNested = Ethernet(RouterMac, NestedMac, Ipv4Type, Ipv4(6, "10.0.0.9", "10.0.0.1", new byte[40]));

    [Theory]
    [InlineData(5)]
    [InlineData(7)]
    public void A_Mac_Address_Must_Be_6_Bytes(int length)
    {
        Assert.Throws<ArgumentException>(() => new SwitchPort(new byte[length], macAddressSpoofing: false));
    }

    [Theory]
    [InlineData("000000000000")]
    [InlineData("FFFFFFFFFFFF")]
    [InlineData("01005E000001")]
    public void A_Port_Mac_Address_Must_Be_Unicast_And_Not_Zero(string mac)
    {
        Assert.Throws<ArgumentException>(() => new SwitchPort(Convert.FromHexString(mac), macAddressSpoofing: false));
    }

    [Fact]
    public void Keeps_Its_Own_Copy_Of_The_Mac_Address()
    {
        byte[] mac = [.. GuestMac];
        var port = new SwitchPort(mac, macAddressSpoofing: false);
        mac[5] = 0;

        Assert.Equal(GuestMac, port.MacAddress.ToArray());
    }

    [Fact]
    public void Forwards_A_Frame_From_Its_Own_Mac_And_Counts_Its_Whole_Length()
    {
        var port = new SwitchPort(GuestMac, macAddressSpoofing: false);

        Assert.True(port.AllowTransmit(TcpFromGuest, 1514));

        Assert.Equal(new SwitchPortCounters(TransmittedFrames: 1, TransmittedBytes: 1514, 0, 0, 0, 0), port.Counters);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(13)]
    [InlineData(-1)]
    public void Drops_A_Frame_Shorter_Than_An_Ethernet_Header_As_Malformed(long length)
    {
        var port = new SwitchPort(GuestMac, macAddressSpoofing: true);

        Assert.False(port.AllowTransmit(TcpFromGuest.AsSpan(0, (int)Math.Max(length, 0)), length));

        Assert.Equal(new SwitchPortCounters(0, 0, 0, 0, 0, DroppedMalformedFrames: 1), port.Counters);
    }

    [Fact]
    public void Drops_As_Malformed_A_Head_Shorter_Than_The_Header_Whatever_The_Length_Says()
    {
        var port = new SwitchPort(GuestMac, macAddressSpoofing: true);

        Assert.False(port.AllowTransmit(TcpFromGuest.AsSpan(0, 13), 1514));

        Assert.Equal(1, port.Counters.DroppedMalformedFrames);
    }

    [Fact]
    public void Drops_A_Frame_From_Another_Mac_When_Spoofing_Is_Off()
    {
        var port = new SwitchPort(GuestMac, macAddressSpoofing: false);

        Assert.False(port.Send(TcpFromNested));

        Assert.Equal(new SwitchPortCounters(0, 0, 0, 0, DroppedSpoofedFrames: 1, 0), port.Counters);
    }

    [Fact]
    public void Forwards_A_Frame_From_Another_Unicast_Mac_When_Spoofing_Is_On()
    {
        var port = new SwitchPort(GuestMac, macAddressSpoofing: true);

        Assert.True(port.Send(TcpFromNested));

        Assert.Equal(1, port.Counters.TransmittedFrames);
    }

    [Theory]
    [InlineData("FFFFFFFFFFFF")] // broadcast
    [InlineData("01005E000001")] // IPv4 multicast
    [InlineData("333300000001")] // IPv6 multicast
    [InlineData("00155D0A1B2C", true)] // the port's own address with the group bit set
    [InlineData("000000000000")]
    public void Drops_A_Frame_From_A_Group_Or_Zero_Source_Even_When_Spoofing_Is_On(string source, bool setGroupBit = false)
    {
        byte[] mac = Convert.FromHexString(source);
        mac[0] |= setGroupBit ? (byte)1 : (byte)0;
        var port = new SwitchPort(GuestMac, macAddressSpoofing: true);

        Assert.False(port.Send(Ethernet(RouterMac, mac, Ipv4Type, new byte[46])));

        Assert.Equal(1, port.Counters.DroppedSpoofedFrames);
    }

    [Fact]
    public void A_Change_Of_Spoofing_Applies_To_The_Next_Frame()
    {
        var port = new SwitchPort(GuestMac, macAddressSpoofing: true);
        Assert.True(port.Send(TcpFromNested));

        port.MacAddressSpoofing = false;

        Assert.False(port.MacAddressSpoofing);
        Assert.False(port.Send(TcpFromNested));
        Assert.True(port.Send(TcpFromGuest));
    }

    [Fact]
    public void Checks_The_Source_Of_A_Vlan_Tagged_Frame_Like_Any_Other()
    {
        var port = new SwitchPort(GuestMac, macAddressSpoofing: false);

        Assert.True(port.Send(Tagged(RouterMac, GuestMac, 42, Ipv4Type, new byte[46])));
        Assert.False(port.Send(Tagged(RouterMac, NestedMac, 42, Ipv4Type, new byte[46])));
    }

    [Fact]
    public void Forwards_A_Frame_Whose_Payload_It_Cannot_Read()
    {
        var port = new SwitchPort(GuestMac, macAddressSpoofing: false);

        Assert.True(port.Send(Tagged(RouterMac, GuestMac, 42, Ipv4Type, [])[..15]));
        Assert.True(port.Send(Ethernet(RouterMac, GuestMac, Ipv4Type, [0x4F, 0, 0xFF])));
    }

    [Fact]
    public void Counts_Every_Received_Frame_With_Its_Whole_Length()
    {
        var port = new SwitchPort(GuestMac, macAddressSpoofing: false);

        port.ObserveReceive(TcpFromNested, 9014);
        port.ObserveReceive(TcpFromGuest.AsSpan(0, 10), 10);

        Assert.Equal(new SwitchPortCounters(0, 0, ReceivedFrames: 2, ReceivedBytes: 9024, 0, 0), port.Counters);
    }

    [Fact]
    public async Task Counters_Are_Exact_When_Transmit_Receive_And_Control_Run_At_Once()
    {
        const int Frames = 20_000;
        var port = new SwitchPort(GuestMac, macAddressSpoofing: false);

        Task transmit = Task.Run(() =>
        {
            for (int i = 0; i < Frames; i++)
            {
                port.Send(TcpFromGuest);
                port.Send(TcpFromNested);
            }
        });
        Task receive = Task.Run(() =>
        {
            for (int i = 0; i < Frames; i++)
            {
                port.Deliver(TcpFromNested);
            }
        });
        Task control = Task.Run(() =>
        {
            for (int i = 0; i < 1000; i++)
            {
                _ = port.Counters;
                _ = port.LearnedAddresses;
            }
        });
        await Task.WhenAll(transmit, receive, control);

        long length = TcpFromGuest.Length;
        Assert.Equal(new SwitchPortCounters(Frames, Frames * length, Frames, Frames * length, Frames, 0), port.Counters);
    }

    [Fact]
    public void Forwarding_A_Frame_It_Learns_Nothing_From_Allocates_Nothing()
    {
        var port = new SwitchPort(GuestMac, macAddressSpoofing: false);
        byte[] udp = Ethernet(RouterMac, GuestMac, Ipv4Type, Ipv4(17, "10.0.0.5", "10.0.0.1", Udp(5353, 5353, new byte[64])));
        byte[] ipv6 = Ethernet(RouterMac, GuestMac, Ipv6Type, Ipv6(6, "fe80::1", "fe80::2", new byte[40]));
        byte[][] frames = [TcpFromGuest, TcpFromNested, udp, ipv6];
        SendAll(port, frames);

        long before = GC.GetAllocatedBytesForCurrentThread();
        SendAll(port, frames);

        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
    }

    private static void SendAll(SwitchPort port, byte[][] frames)
    {
        for (int i = 0; i < 1000; i++)
        {
            foreach (byte[] frame in frames)
            {
                port.Send(frame);
                port.Deliver(frame);
            }
        }
    }
}
