using HyperNest.Vmm.Network;

namespace HyperNest.Vmm.Tests.Network;

/// <summary>Whole frames through a port, and what it learned in a form a test can compare.</summary>
internal static class PortTraffic
{
    public static bool Send(this SwitchPort port, byte[] frame) => port.AllowTransmit(frame, frame.Length);

    public static void Deliver(this SwitchPort port, byte[] frame) => port.ObserveReceive(frame, frame.Length);

    public static (string Mac, string Ip, AddressSource Source)[] Addresses(this SwitchPort port) =>
        [.. port.LearnedAddresses.Select(address => (address.MacAddress, address.IPAddress.ToString(), address.Source))];
}
