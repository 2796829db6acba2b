namespace HyperNest.Vmm.Network;

/// <summary>The EtherType values a switch port reads (IEEE 802.3 §3.2.6, IANA's IEEE 802 numbers).</summary>
internal static class EtherType
{
    public const ushort Ipv4 = 0x0800;
    public const ushort Arp = 0x0806;

    /// <summary>An IEEE 802.1Q customer VLAN tag: 2 bytes of tag control follow, then the real EtherType.</summary>
    public const ushort CustomerVlan = 0x8100;

    /// <summary>An IEEE 802.1ad service VLAN tag ("Q-in-Q"), followed by a customer tag.</summary>
    public const ushort ServiceVlan = 0x88A8;

    public const ushort Ipv6 = 0x86DD;
}
