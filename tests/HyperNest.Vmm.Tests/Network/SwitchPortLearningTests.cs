using HyperNest.Vmm.Network;
using static HyperNest.Vmm.Tests.Network.Packets;

namespace HyperNest.Vmm.Tests.Network;

/// <summary>
/// The addresses a port learns, which Get-VMNetworkAdapter shows as IPAddresses: from the ARP, DHCP and Neighbor
/// Discovery traffic of the guest and of the nested VMs behind it.
/// </summary>
public sealed class SwitchPortLearningTests
{
    private const string Guest = "00155D0A1B2C";
    private const string Nested = "00155D0A1B2D";

    private readonly ManualClock _clock = new();

    private SwitchPort Port(bool spoofing = false) => new(GuestMac, spoofing, _clock);

    // ARP (RFC 826; probes and announcements RFC 5227)

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Learns_The_Sender_Of_An_Arp_Request_Or_Reply_The_Guest_Sends(ushort operation)
    {
        SwitchPort port = Port();

        port.Send(ArpFrame(GuestMac, operation, "10.0.0.5", "10.0.0.1"));

        LearnedAddress learned = Assert.Single(port.LearnedAddresses);
        Assert.Equal(Guest, learned.MacAddress);
        Assert.Equal("10.0.0.5", learned.IPAddress.ToString());
        Assert.Equal(AddressSource.Arp, learned.Source);
        Assert.Equal(_clock.Now, learned.LastSeen);
    }

    [Fact]
    public void Learns_The_Address_A_Gratuitous_Arp_Announces()
    {
        SwitchPort port = Port();

        port.Send(ArpFrame(GuestMac, 1, "10.0.0.5", "10.0.0.5"));

        Assert.Equal([(Guest, "10.0.0.5", AddressSource.Arp)], port.Addresses());
    }

    [Fact]
    public void Learns_Nothing_From_An_Arp_Probe_Whose_Sender_Is_0_0_0_0()
    {
        SwitchPort port = Port();

        port.Send(ArpFrame(GuestMac, 1, "0.0.0.0", "10.0.0.5"));

        Assert.Empty(port.LearnedAddresses);
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("224.0.0.1")]
    [InlineData("255.255.255.255")]
    public void Learns_No_Loopback_Multicast_Or_Broadcast_Address(string sender)
    {
        SwitchPort port = Port();

        port.Send(ArpFrame(GuestMac, 1, sender, "10.0.0.1"));

        Assert.Empty(port.LearnedAddresses);
    }

    [Fact]
    public void Learns_Nothing_From_Arp_Whose_Sender_Mac_Is_Not_The_Frame_Source()
    {
        SwitchPort port = Port(spoofing: true);

        port.Send(ArpFrame(GuestMac, 2, "10.0.0.9", "10.0.0.1", senderMac: NestedMac));

        Assert.Empty(port.LearnedAddresses);
    }

    [Fact]
    public void Learns_Nothing_From_A_Frame_It_Drops()
    {
        SwitchPort port = Port(spoofing: false);

        Assert.False(port.Send(ArpFrame(NestedMac, 2, "10.0.0.9", "10.0.0.1")));

        Assert.Empty(port.LearnedAddresses);
    }

    [Fact]
    public void Learns_A_Nested_Vms_Address_For_Its_Own_Mac_When_Spoofing_Lets_It_Through()
    {
        SwitchPort port = Port(spoofing: true);

        port.Send(ArpFrame(GuestMac, 1, "10.0.0.5", "10.0.0.1"));
        port.Send(ArpFrame(NestedMac, 1, "10.0.0.9", "10.0.0.1"));

        Assert.Equal([(Guest, "10.0.0.5", AddressSource.Arp), (Nested, "10.0.0.9", AddressSource.Arp)], port.Addresses());
    }

    [Fact]
    public void Learns_Nothing_From_Arp_It_Receives_Because_Its_Sender_Is_Not_Behind_The_Port()
    {
        SwitchPort port = Port();

        port.Deliver(ArpFrame(RouterMac, 2, "10.0.0.1", "10.0.0.5"));

        Assert.Empty(port.LearnedAddresses);
    }

    [Fact]
    public void Learns_From_Vlan_Tagged_Arp()
    {
        SwitchPort port = Port();

        port.Send(Tagged(BroadcastMac, GuestMac, 42, ArpType, Arp(1, GuestMac, "10.0.0.5", "10.0.0.1")));

        Assert.Equal([(Guest, "10.0.0.5", AddressSource.Arp)], port.Addresses());
    }

    [Fact]
    public void An_Address_Seen_Again_Is_Kept_Once_With_The_Time_It_Was_Last_Seen()
    {
        SwitchPort port = Port();
        port.Send(ArpFrame(GuestMac, 1, "10.0.0.5", "10.0.0.1"));

        _clock.Now += TimeSpan.FromMinutes(5);
        port.Send(ArpFrame(GuestMac, 1, "10.0.0.5", "10.0.0.2"));

        Assert.Equal(_clock.Now, Assert.Single(port.LearnedAddresses).LastSeen);
    }

    [Fact]
    public void Keeps_Every_Address_Arp_Shows_For_A_Mac()
    {
        SwitchPort port = Port();

        port.Send(ArpFrame(GuestMac, 1, "10.0.0.5", "10.0.0.1"));
        port.Send(ArpFrame(GuestMac, 1, "192.168.7.5", "192.168.7.1"));

        Assert.Equal([(Guest, "10.0.0.5", AddressSource.Arp), (Guest, "192.168.7.5", AddressSource.Arp)], port.Addresses());
    }

    // DHCP (RFC 2131 §3.1, §4.3.2, §4.4.4–4.4.6)

    [Fact]
    public void A_Dhcp_Request_Alone_Is_Tentative_And_Not_Shown()
    {
        SwitchPort port = Port();

        port.Send(ClientDhcpFrame(Dhcp.Request("10.0.0.5")));

        Assert.Empty(port.LearnedAddresses);
    }

    [Fact]
    public void Learns_The_Address_A_Dhcp_Ack_Gives_In_Reply_To_The_Guests_Request()
    {
        SwitchPort port = Port();

        port.Send(ClientDhcpFrame(Dhcp.Request("10.0.0.5")));
        port.Deliver(ServerDhcpFrame(Dhcp.Ack("10.0.0.5")));

        Assert.Equal([(Guest, "10.0.0.5", AddressSource.Dhcp)], port.Addresses());
    }

    [Fact]
    public void Learns_From_A_Renewal_That_Names_Its_Address_In_Ciaddr()
    {
        SwitchPort port = Port();

        port.Send(ClientDhcpFrame(new Dhcp { Type = DhcpMessageType.Request, ClientMac = GuestMac, ClientAddress = "10.0.0.5" }));
        port.Deliver(ServerDhcpFrame(Dhcp.Ack("10.0.0.5")));

        Assert.Equal([(Guest, "10.0.0.5", AddressSource.Dhcp)], port.Addresses());
    }

    [Fact]
    public void A_Request_Naming_No_Address_Is_Not_Tentative()
    {
        SwitchPort port = Port();

        port.Send(ClientDhcpFrame(new Dhcp { Type = DhcpMessageType.Request, ClientMac = GuestMac }));
        port.Deliver(ServerDhcpFrame(Dhcp.Ack("10.0.0.5")));

        Assert.Empty(port.LearnedAddresses);
    }

    [Fact]
    public void Learns_Nothing_From_An_Ack_Nobody_Behind_The_Port_Asked_For()
    {
        SwitchPort port = Port();

        port.Deliver(ServerDhcpFrame(Dhcp.Ack("10.0.0.5")));

        Assert.Empty(port.LearnedAddresses);
    }

    [Fact]
    public void Learns_Nothing_From_An_Ack_To_Another_Transaction()
    {
        SwitchPort port = Port();

        port.Send(ClientDhcpFrame(Dhcp.Request("10.0.0.5")));
        port.Deliver(ServerDhcpFrame(Dhcp.Ack("10.0.0.5") with { TransactionId = 1 }));

        Assert.Empty(port.LearnedAddresses);
    }

    [Fact]
    public void Learns_Nothing_From_A_Request_Whose_Client_Mac_Is_Not_The_Frame_Source()
    {
        SwitchPort port = Port(spoofing: true);

        port.Send(ClientDhcpFrame(Dhcp.Request("10.0.0.9", clientMac: NestedMac), source: GuestMac));
        port.Deliver(ServerDhcpFrame(Dhcp.Ack("10.0.0.9", clientMac: NestedMac)));

        Assert.Empty(port.LearnedAddresses);
    }

    [Fact]
    public void Learns_A_Nested_Vms_Lease_When_Spoofing_Lets_Its_Request_Through()
    {
        SwitchPort port = Port(spoofing: true);

        port.Send(ClientDhcpFrame(Dhcp.Request("10.0.0.9", clientMac: NestedMac)));
        port.Deliver(ServerDhcpFrame(Dhcp.Ack("10.0.0.9", clientMac: NestedMac)));

        Assert.Equal([(Nested, "10.0.0.9", AddressSource.Dhcp)], port.Addresses());
    }

    [Fact]
    public void Learns_Nothing_From_A_Dhcp_Reply_The_Guest_Sends()
    {
        SwitchPort port = Port();
        byte[] fromGuest = Ethernet(RouterMac, GuestMac, Ipv4Type, Ipv4(17, "10.0.0.5", "10.0.0.1", Udp(67, 68, Dhcp.Ack("10.0.0.5").ToBytes())));

        port.Send(ClientDhcpFrame(Dhcp.Request("10.0.0.5")));
        port.Send(fromGuest);

        Assert.Empty(port.LearnedAddresses);
    }

    [Fact]
    public void A_New_Ack_Replaces_The_Macs_Dhcp_Address()
    {
        SwitchPort port = Port();
        Lease(port, "10.0.0.5");

        Lease(port, "10.0.0.6");

        Assert.Equal([(Guest, "10.0.0.6", AddressSource.Dhcp)], port.Addresses());
    }

    [Fact]
    public void Arp_For_A_Leased_Address_Refreshes_It_And_Keeps_It_A_Dhcp_Address()
    {
        SwitchPort port = Port();
        Lease(port, "10.0.0.5");

        _clock.Now += TimeSpan.FromSeconds(2);
        port.Send(ArpFrame(GuestMac, 1, "10.0.0.5", "10.0.0.5"));

        LearnedAddress learned = Assert.Single(port.LearnedAddresses);
        Assert.Equal(AddressSource.Dhcp, learned.Source);
        Assert.Equal(_clock.Now, learned.LastSeen);
    }

    [Theory]
    [InlineData((byte)DhcpMessageType.Release)]
    [InlineData((byte)DhcpMessageType.Decline)]
    public void A_Release_Or_Decline_From_The_Guest_Forgets_Its_Dhcp_Address_Only(byte type)
    {
        SwitchPort port = Port();
        Lease(port, "10.0.0.5");
        port.Send(ArpFrame(GuestMac, 1, "192.168.7.5", "192.168.7.1"));

        port.Send(ClientDhcpFrame(new Dhcp { Type = (DhcpMessageType)type, ClientMac = GuestMac, ClientAddress = "10.0.0.5" }));

        Assert.Equal([(Guest, "192.168.7.5", AddressSource.Arp)], port.Addresses());
    }

    [Fact]
    public void A_Nak_Received_For_The_Guests_Request_Forgets_Its_Dhcp_Address()
    {
        SwitchPort port = Port();
        Lease(port, "10.0.0.5");

        port.Send(ClientDhcpFrame(Dhcp.Request("10.0.0.5")));
        port.Deliver(ServerDhcpFrame(new Dhcp { Operation = 2, Type = DhcpMessageType.Nak, ClientMac = GuestMac }));

        Assert.Empty(port.LearnedAddresses);
    }

    [Fact]
    public void Learns_Nothing_From_A_Truncated_Dhcp_Ack()
    {
        SwitchPort port = Port();
        byte[] ack = ServerDhcpFrame(Dhcp.Ack("10.0.0.5"));

        port.Send(ClientDhcpFrame(Dhcp.Request("10.0.0.5")));
        port.ObserveReceive(ack.AsSpan(0, ack.Length - 1), ack.Length);

        Assert.Empty(port.LearnedAddresses);
    }

    // Neighbor Discovery (RFC 4861 §4.3, §4.4, §7.1)

    [Theory]
    [InlineData(NeighborDiscoveryMessage.NeighborSolicitation, "fe80::215:5dff:fe0a:1b2c")]
    [InlineData(NeighborDiscoveryMessage.NeighborAdvertisement, "2001:db8::5")]
    [InlineData(NeighborDiscoveryMessage.NeighborAdvertisement, "fd00::5")]
    public void Learns_The_Link_Local_Or_Global_Source_Of_Neighbor_Discovery_The_Guest_Sends(byte type, string source)
    {
        SwitchPort port = Port();

        port.Send(NeighborDiscoveryFrame(GuestMac, source, type, "2001:db8::1"));

        Assert.Equal([(Guest, source, AddressSource.NeighborDiscovery)], port.Addresses());
    }

    [Theory]
    [InlineData("::")] // duplicate address detection (RFC 4862 §5.4.2)
    [InlineData("::1")]
    [InlineData("ff02::1")]
    [InlineData("::ffff:10.0.0.5")]
    public void Learns_No_Unspecified_Loopback_Multicast_Or_Mapped_Source(string source)
    {
        SwitchPort port = Port();

        port.Send(NeighborDiscoveryFrame(GuestMac, source, NeighborDiscoveryMessage.NeighborSolicitation, "fe80::1"));

        Assert.Empty(port.LearnedAddresses);
    }

    [Fact]
    public void Learns_Nothing_From_Neighbor_Discovery_That_Crossed_A_Router()
    {
        SwitchPort port = Port();

        port.Send(NeighborDiscoveryFrame(GuestMac, "fe80::5", NeighborDiscoveryMessage.NeighborAdvertisement, "fe80::5", hopLimit: 64));

        Assert.Empty(port.LearnedAddresses);
    }

    [Fact]
    public void Learns_Nothing_From_Neighbor_Discovery_It_Receives()
    {
        SwitchPort port = Port();

        port.Deliver(NeighborDiscoveryFrame(RouterMac, "fe80::1", NeighborDiscoveryMessage.NeighborAdvertisement, "fe80::1"));

        Assert.Empty(port.LearnedAddresses);
    }

    // Bounds: the guest chooses what is learned, so memory must not grow with what it sends.

    [Fact]
    public void Keeps_At_Most_16_Addresses_Per_Mac_Dropping_The_Least_Recently_Seen()
    {
        SwitchPort port = Port();
        for (int i = 1; i <= 16; i++)
        {
            port.Send(ArpFrame(GuestMac, 1, $"10.0.0.{i}", "10.0.0.254"));
        }

        port.Send(ArpFrame(GuestMac, 1, "10.0.0.1", "10.0.0.254"));
        port.Send(ArpFrame(GuestMac, 1, "10.0.0.17", "10.0.0.254"));

        string[] addresses = [.. port.Addresses().Select(address => address.Ip)];
        Assert.Equal(16, addresses.Length);
        Assert.Contains("10.0.0.1", addresses);
        Assert.DoesNotContain("10.0.0.2", addresses);
        Assert.Contains("10.0.0.17", addresses);
    }

    [Fact]
    public void Keeps_At_Most_64_Macs_Dropping_The_Least_Recently_Seen_But_Never_Its_Own()
    {
        SwitchPort port = Port(spoofing: true);
        port.Send(ArpFrame(GuestMac, 1, "10.0.0.5", "10.0.0.1"));
        for (int i = 0; i < 100; i++)
        {
            byte[] mac = [0x02, 0, 0, 0, 0, (byte)i];
            port.Send(ArpFrame(mac, 1, $"10.1.0.{i}", "10.1.0.254"));
        }

        string[] macs = [.. port.Addresses().Select(address => address.Mac)];
        Assert.Equal(64, macs.Length);
        Assert.Contains(Guest, macs);
        Assert.Contains("020000000063", macs);
        Assert.DoesNotContain("020000000000", macs);
    }

    [Fact]
    public void A_Macs_Pending_Requests_Count_Toward_The_Bound()
    {
        SwitchPort port = Port(spoofing: true);
        byte[] first = [0x02, 0, 0, 0, 1, 0];
        port.Send(ClientDhcpFrame(Dhcp.Request("10.0.0.9", clientMac: first)));
        for (int i = 0; i < 64; i++)
        {
            port.Send(ClientDhcpFrame(Dhcp.Request("10.0.0.9", clientMac: [0x02, 0, 0, 0, 0, (byte)i])));
        }

        port.Deliver(ServerDhcpFrame(Dhcp.Ack("10.0.0.9", clientMac: first)));

        Assert.Empty(port.LearnedAddresses);
    }

    // The guest is untrusted: nothing it sends may throw.

    [Fact]
    public void Throws_Nothing_And_Stays_Bounded_On_Any_Cut_Or_Corruption_Of_Valid_Packets()
    {
        byte[][] frames =
        [
            ArpFrame(GuestMac, 1, "10.0.0.5", "10.0.0.1"),
            ClientDhcpFrame(Dhcp.Request("10.0.0.5") with { MoreOptions = [12, 3, 1, 2, 3, 55, 2, 1, 3] }),
            ServerDhcpFrame(Dhcp.Ack("10.0.0.5")),
            NeighborDiscoveryFrame(GuestMac, "fe80::5", NeighborDiscoveryMessage.NeighborAdvertisement, "fe80::5"),
        ];
        var random = new Random(826);
        SwitchPort port = Port(spoofing: true);

        foreach (byte[] frame in frames)
        {
            for (int length = 0; length <= frame.Length; length++)
            {
                port.AllowTransmit(frame.AsSpan(0, length), frame.Length);
                port.ObserveReceive(frame.AsSpan(0, length), length);
            }

            for (int i = 0; i < 2000; i++)
            {
                byte[] corrupt = [.. frame];
                corrupt[random.Next(12, corrupt.Length)] = (byte)random.Next(256);
                corrupt[random.Next(12, corrupt.Length)] = (byte)random.Next(256);
                port.Send(corrupt);
                port.Deliver(corrupt);
            }
        }

        Assert.InRange(port.LearnedAddresses.Count, 0, 64 * 16);
    }

    private static void Lease(SwitchPort port, string address)
    {
        port.Send(ClientDhcpFrame(Dhcp.Request(address)));
        port.Deliver(ServerDhcpFrame(Dhcp.Ack(address)));
    }
}
