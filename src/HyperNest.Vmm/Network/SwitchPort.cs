namespace HyperNest.Vmm.Network;

/// <summary>
/// A VM network adapter's port on a virtual switch, at the VMM's end of its TAP device: the virtio-net device asks it
/// about every frame the guest sends and tells it every frame the guest receives. It enforces Hyper-V's MAC address
/// spoofing setting, counts traffic, and learns the IP addresses in use behind the port from ARP, DHCP and Neighbor
/// Discovery, since HyperNest has no guest agent to ask.
/// </summary>
/// <remarks>
/// <para>MAC address spoofing off: only frames from the adapter's own MAC leave the port, so the bridge never learns
/// another MAC behind it. On: any unicast source leaves, which nested VMs bridged inside the guest need. A group or
/// all-zero source is never forwarded.</para>
/// <para>Threads: <see cref="AllowTransmit"/> runs on the device's TX thread, <see cref="ObserveReceive"/> on its RX
/// thread, the properties on a control thread. Counters are interlocked; the spoofing flag is volatile and applies
/// from the next frame; a lock is taken only for a frame that teaches an address. A frame that teaches nothing
/// allocates nothing.</para>
/// <para>The guest is untrusted: every length field is checked before use, and a malformed or truncated packet is
/// forwarded or dropped by the rules above but teaches nothing; nothing in a frame makes this throw.</para>
/// </remarks>
public sealed class SwitchPort
{
    private const ushort DhcpServerPort = 67;
    private const ushort DhcpClientPort = 68;

    private readonly byte[] _macAddress;
    private readonly ulong _mac;
    private readonly AddressTable _addresses;

    private volatile bool _macAddressSpoofing;

    private long _transmittedFrames;
    private long _transmittedBytes;
    private long _receivedFrames;
    private long _receivedBytes;
    private long _droppedSpoofedFrames;
    private long _droppedMalformedFrames;

    /// <param name="macAddress">The adapter's MAC: 6 bytes, unicast, not all zeros.</param>
    /// <param name="macAddressSpoofing">Whether the guest may send from other MACs.</param>
    public SwitchPort(ReadOnlySpan<byte> macAddress, bool macAddressSpoofing)
        : this(macAddress, macAddressSpoofing, TimeProvider.System)
    {
    }

    internal SwitchPort(ReadOnlySpan<byte> macAddress, bool macAddressSpoofing, TimeProvider clock)
    {
        if (macAddress.Length != EthernetAddress.Length)
        {
            throw new ArgumentException($"A MAC address is 6 bytes, not {macAddress.Length}.", nameof(macAddress));
        }

        _mac = EthernetAddress.Read(macAddress);
        if (!EthernetAddress.IsUnicast(_mac))
        {
            throw new ArgumentException($"The MAC address {EthernetAddress.Format(_mac)} is not a unicast address.", nameof(macAddress));
        }

        _macAddress = macAddress.ToArray();
        _macAddressSpoofing = macAddressSpoofing;
        _addresses = new AddressTable(_mac, clock);
    }

    public ReadOnlyMemory<byte> MacAddress => _macAddress;

    /// <summary>Hyper-V's MacAddressSpoofing; a change applies from the next frame the guest sends.</summary>
    public bool MacAddressSpoofing
    {
        get => _macAddressSpoofing;
        set => _macAddressSpoofing = value;
    }

    public SwitchPortCounters Counters => new(
        Interlocked.Read(ref _transmittedFrames),
        Interlocked.Read(ref _transmittedBytes),
        Interlocked.Read(ref _receivedFrames),
        Interlocked.Read(ref _receivedBytes),
        Interlocked.Read(ref _droppedSpoofedFrames),
        Interlocked.Read(ref _droppedMalformedFrames));

    /// <summary>The addresses in use behind the port now, per MAC in the order the MACs were first seen.</summary>
    public IReadOnlyList<LearnedAddress> LearnedAddresses => _addresses.Snapshot();

    /// <summary>Whether a frame the guest sends may go to the switch; false drops it.</summary>
    /// <param name="frameHead">The Ethernet frame from its destination MAC (no virtio header), at least
    /// min(<paramref name="frameLength"/>, 512) bytes.</param>
    /// <param name="frameLength">The whole frame's length.</param>
    public bool AllowTransmit(ReadOnlySpan<byte> frameHead, long frameLength)
    {
        if (!EthernetFrame.TryParse(Frame(frameHead, frameLength), out EthernetFrame frame))
        {
            // Shorter than a header: malformed. VLAN tags it cannot read (cut short, more than two): the source still
            // decides, and the frame goes on unread.
            if (frameLength < EthernetFrame.HeaderLength || frameHead.Length < EthernetFrame.HeaderLength)
            {
                Interlocked.Increment(ref _droppedMalformedFrames);
                return false;
            }

            return Forward(EthernetAddress.Read(frameHead[6..]), frameLength);
        }

        if (!Forward(frame.Source, frameLength))
        {
            return false;
        }

        LearnFromTransmit(frame);
        return true;
    }

    /// <summary>Counts a frame the switch delivers to the guest, and learns from the DHCP replies among them.</summary>
    /// <param name="frameHead">As for <see cref="AllowTransmit"/>.</param>
    /// <param name="frameLength">The whole frame's length; a negative one is no frame and is ignored.</param>
    public void ObserveReceive(ReadOnlySpan<byte> frameHead, long frameLength)
    {
        if (frameLength < 0)
        {
            return;
        }

        Interlocked.Increment(ref _receivedFrames);
        Interlocked.Add(ref _receivedBytes, frameLength);
        if (EthernetFrame.TryParse(Frame(frameHead, frameLength), out EthernetFrame frame)
            && TryReadDhcp(frame, DhcpServerPort, DhcpClientPort, out DhcpMessage message)
            && message.Operation == DhcpOperation.BootReply)
        {
            LearnFromServer(message);
        }
    }

    /// <summary>The frame as far as the head holds it; a head longer than the frame is cut to the frame.</summary>
    private static PacketBytes Frame(ReadOnlySpan<byte> frameHead, long frameLength) =>
        new(frameHead[..(int)Math.Clamp(frameLength, 0, frameHead.Length)], frameLength);

    private bool Forward(ulong source, long frameLength)
    {
        if (!EthernetAddress.IsUnicast(source) || (source != _mac && !_macAddressSpoofing))
        {
            Interlocked.Increment(ref _droppedSpoofedFrames);
            return false;
        }

        Interlocked.Increment(ref _transmittedFrames);
        Interlocked.Add(ref _transmittedBytes, frameLength);
        return true;
    }

    /// <summary>
    /// Learns only what a station says about itself: the MAC inside an ARP or DHCP message must be the frame's
    /// source, which the spoofing check has already let through.
    /// </summary>
    private void LearnFromTransmit(in EthernetFrame frame)
    {
        switch (frame.EtherType)
        {
            case EtherType.Arp:
                LearnFromArp(frame);
                break;
            case EtherType.Ipv4:
                if (TryReadDhcp(frame, DhcpClientPort, DhcpServerPort, out DhcpMessage message)
                    && message.Operation == DhcpOperation.BootRequest
                    && message.ClientHardwareAddress == frame.Source)
                {
                    LearnFromClient(message);
                }

                break;
            case EtherType.Ipv6:
                LearnFromNeighborDiscovery(frame);
                break;
        }
    }

    /// <summary>RFC 826: the sender's pair; a probe's sender 0.0.0.0 (RFC 5227 §2.1.1) is not an address in use.</summary>
    private void LearnFromArp(in EthernetFrame frame)
    {
        if (ArpPacket.TryParse(frame.Payload.Captured, out ArpPacket arp)
            && arp.SenderHardwareAddress == frame.Source
            && IPAddressBits.IsLearnableIPv4(arp.SenderProtocolAddress))
        {
            _addresses.Learn(frame.Source, IPAddressBits.FromIPv4(arp.SenderProtocolAddress), AddressSource.Arp);
        }
    }

    /// <summary>
    /// RFC 2131 §4.3.2: a REQUEST names its address in option 50 (selecting, rebooting) or ciaddr (renewing,
    /// rebinding) and is only tentative; §4.4.4 and §4.4.6: DECLINE and RELEASE give the address up.
    /// </summary>
    private void LearnFromClient(in DhcpMessage message)
    {
        switch (message.MessageType)
        {
            case DhcpMessageType.Request when IPAddressBits.IsLearnableIPv4(message.RequestedAddress ?? message.ClientAddress):
                _addresses.Request(message.ClientHardwareAddress, message.TransactionId);
                break;
            case DhcpMessageType.Release or DhcpMessageType.Decline:
                _addresses.Release(message.ClientHardwareAddress);
                break;
        }
    }

    /// <summary>RFC 2131 §3.1 step 5: an ACK gives yiaddr to chaddr; a NAK (§3.2) takes the client's address away.</summary>
    private void LearnFromServer(in DhcpMessage message)
    {
        switch (message.MessageType)
        {
            case DhcpMessageType.Ack when IPAddressBits.IsLearnableIPv4(message.YourAddress):
                _addresses.Acknowledge(message.ClientHardwareAddress, message.TransactionId, IPAddressBits.FromIPv4(message.YourAddress));
                break;
            case DhcpMessageType.Nak:
                _addresses.Refuse(message.ClientHardwareAddress, message.TransactionId);
                break;
        }
    }

    /// <summary>
    /// RFC 4861 §4.3, §4.4: a solicitation or advertisement the guest sends from a link-local or global address shows
    /// that address in use; one from :: (duplicate address detection, RFC 4862 §5.4.2) shows nothing yet.
    /// </summary>
    private void LearnFromNeighborDiscovery(in EthernetFrame frame)
    {
        if (Ipv6Packet.TryParse(frame.Payload, out Ipv6Packet packet)
            && NeighborDiscoveryMessage.TryParse(packet, out _)
            && IPAddressBits.FromIPv6(packet.Source) is var source
            && IPAddressBits.IsLearnableIPv6(source))
        {
            _addresses.Learn(frame.Source, source, AddressSource.NeighborDiscovery);
        }
    }

    /// <summary>A DHCP message in UDP from <paramref name="sourcePort"/> to <paramref name="destinationPort"/> over IPv4.</summary>
    private static bool TryReadDhcp(in EthernetFrame frame, ushort sourcePort, ushort destinationPort, out DhcpMessage message)
    {
        message = default;
        return frame.EtherType == EtherType.Ipv4
            && Ipv4Packet.TryParse(frame.Payload, out Ipv4Packet packet)
            && packet.Protocol == Ipv4Packet.Udp
            && UdpDatagram.TryParse(packet.Payload, out UdpDatagram udp)
            && udp.SourcePort == sourcePort
            && udp.DestinationPort == destinationPort
            && DhcpMessage.TryParse(udp.Payload.Captured, out message);
    }
}
