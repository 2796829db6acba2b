using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using HyperNest.Vmm.Network;

namespace HyperNest.Fuzz.Network;

/// <summary>
/// A VM's <see cref="SwitchPort"/> fed frames from both sides: what the guest sends (<see cref="SwitchPort.AllowTransmit"/>,
/// the spoofing rule and address learning from ARP, DHCP requests and Neighbor Discovery) and what the wire delivers
/// (<see cref="SwitchPort.ObserveReceive"/>, learning from DHCP replies). Every packet parser of HyperNest.Vmm/Network
/// runs under it (Ethernet with VLAN tags, ARP, IPv4, IPv6, UDP, DHCP, Neighbor Discovery).
///
/// Input: the adapter's MAC (6 bytes; made unicast), a flags byte (bit 0: MAC address spoofing on), then up to
/// <see cref="MaxFrames"/> frames, each an operation byte (bit 0: from the wire, else from the guest; bit 1: flip the
/// spoofing setting first; bits 2–3: the length the frame claims: its captured bytes, more (a head of a longer
/// frame, by a 16-bit amount), fewer (by a byte), or -1), a 16-bit captured length and the frame's bytes.
///
/// Invariants: nothing throws (a read past the frame is an IndexOutOfRange out of the span); the port's counters add
/// up (frames from the guest = transmitted + dropped as spoofed + dropped as malformed, a true answer is one
/// transmitted frame and its bytes; every frame from the wire with a length is received, with its bytes); a frame
/// let through has a unicast source, the adapter's own unless spoofing is on; the address table keeps at most
/// <see cref="AddressTableMaxStations"/> MACs and <see cref="AddressTableMaxAddresses"/> addresses each, only MACs
/// that sent a forwarded frame, only addresses a host can hold.
/// </summary>
public sealed class EthernetFramesTarget : IFuzzTarget
{
    public const int MaxFrames = 256;
    public const int AddressTableMaxStations = 64, AddressTableMaxAddresses = 16;

    public string Name => "ethernet-frames";

    public string Description => "frames both ways through a switch port; counters add up, spoofing holds, table bounded";

    public void Run(ReadOnlySpan<byte> input)
    {
        var reader = new FuzzInput(input);
        Span<byte> mac = stackalloc byte[6];
        reader.Bytes(6).CopyTo(mac);
        mac[0] &= 0xFE; // unicast
        if (BinaryPrimitives.ReadUInt32BigEndian(mac[2..]) == 0 && mac[0] == 0 && mac[1] == 0)
        {
            mac[5] = 1;
        }

        ulong ownMac = Mac(mac);
        bool spoofing = reader.Bool();
        var port = new SwitchPort(mac, spoofing);
        var forwardedSources = new HashSet<ulong>();
        long fromGuest = 0, transmitted = 0, transmittedBytes = 0, received = 0, receivedBytes = 0;

        for (int i = 0; i < MaxFrames && !reader.IsEmpty; i++)
        {
            byte operation = reader.Byte();
            if ((operation & 2) != 0)
            {
                spoofing = !spoofing;
                port.MacAddressSpoofing = spoofing;
            }

            ReadOnlySpan<byte> head = reader.Bytes(reader.UInt16());
            long length = ((operation >> 2) & 3) switch
            {
                0 => head.Length,
                1 => head.Length + (long)reader.UInt16(),
                2 => Math.Max(0, head.Length - reader.Byte()),
                _ => -1,
            };

            if ((operation & 1) != 0)
            {
                port.ObserveReceive(head, length);
                if (length >= 0)
                {
                    received++;
                    receivedBytes += length;
                }
            }
            else
            {
                fromGuest++;
                bool allowed = port.AllowTransmit(head, length);
                if (allowed)
                {
                    transmitted++;
                    transmittedBytes += length;
                    InvariantViolation.Check(head.Length >= 12 && length >= 14, "a frame shorter than an Ethernet header was let through");
                    ulong source = Mac(head[6..12]);
                    InvariantViolation.Check(source != 0 && (source & (1UL << 40)) == 0, "a frame from a group or zero MAC was let through");
                    InvariantViolation.Check(spoofing || source == ownMac, "a frame from another MAC was let through with spoofing off");
                    forwardedSources.Add(source);
                }
            }

            SwitchPortCounters counters = port.Counters;
            InvariantViolation.Check(
                counters.TransmittedFrames + counters.DroppedSpoofedFrames + counters.DroppedMalformedFrames == fromGuest,
                "frames from the guest != transmitted + dropped");
            InvariantViolation.Check(counters.TransmittedFrames == transmitted && counters.TransmittedBytes == transmittedBytes,
                "transmit counters do not match the frames let through");
            InvariantViolation.Check(counters.ReceivedFrames == received && counters.ReceivedBytes == receivedBytes,
                "receive counters do not match the frames delivered");
        }

        CheckAddressTable(port.LearnedAddresses, forwardedSources);
    }

    private static void CheckAddressTable(IReadOnlyList<LearnedAddress> learned, HashSet<ulong> forwardedSources)
    {
        var perMac = new Dictionary<string, int>();
        foreach (LearnedAddress address in learned)
        {
            perMac[address.MacAddress] = perMac.GetValueOrDefault(address.MacAddress) + 1;
            ulong mac = ulong.Parse(address.MacAddress, System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture);
            InvariantViolation.Check(forwardedSources.Contains(mac), $"learned an address for {address.MacAddress}, which sent no forwarded frame");
            InvariantViolation.Check(Holdable(address.IPAddress), $"learned {address.IPAddress}, which no host can hold");
        }

        InvariantViolation.Check(perMac.Count <= AddressTableMaxStations, $"the address table holds {perMac.Count} MACs");
        InvariantViolation.Check(perMac.Values.All(n => n <= AddressTableMaxAddresses), "a MAC holds more addresses than the bound");
    }

    private static bool Holdable(IPAddress address)
    {
        Span<byte> b = stackalloc byte[16];
        address.TryWriteBytes(b, out int written);
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            return written == 4 && b[0] is not (0 or 127) && b[0] < 224;
        }

        ushort first16 = BinaryPrimitives.ReadUInt16BigEndian(b);
        return (first16 & 0xFFC0) == 0xFE80 || (first16 & 0xE000) == 0x2000 || (first16 & 0xFE00) == 0xFC00;
    }

    private static ulong Mac(ReadOnlySpan<byte> bytes) =>
        ((ulong)BinaryPrimitives.ReadUInt16BigEndian(bytes) << 32) | BinaryPrimitives.ReadUInt32BigEndian(bytes[2..]);
}
