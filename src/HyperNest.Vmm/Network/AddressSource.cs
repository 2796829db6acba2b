namespace HyperNest.Vmm.Network;

/// <summary>What a switch port learned an address from.</summary>
public enum AddressSource
{
    /// <summary>A DHCP ACK answering a request sent through the port (RFC 2131 §3.1).</summary>
    Dhcp,

    /// <summary>An ARP request or reply sent through the port (RFC 826).</summary>
    Arp,

    /// <summary>A Neighbor Solicitation or Advertisement sent through the port (RFC 4861).</summary>
    NeighborDiscovery,
}
