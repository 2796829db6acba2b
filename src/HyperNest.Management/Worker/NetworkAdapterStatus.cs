namespace HyperNest.Management.Worker;

/// <summary>
/// A running VM's adapter as its switch port sees it: what Get-VMNetworkAdapter shows beyond the configuration
/// (Status, IPAddresses) and the port's counters. HyperNest has no guest agent: addresses are learned from the
/// guest's DHCP and ARP/neighbour traffic, for the adapter's own MAC and for MACs seen behind it (nested VMs).
/// </summary>
public sealed record NetworkAdapterStatus
{
    public required string Name { get; init; }

    /// <summary>12 hex digits, Hyper-V's form.</summary>
    public required string MacAddress { get; init; }

    /// <summary>The switch the port is on now; null when disconnected.</summary>
    public string? SwitchName { get; init; }

    /// <summary>The host's interface for this port (a TAP device), when connected.</summary>
    public string? HostInterface { get; init; }

    public bool MacAddressSpoofing { get; init; }

    // `?? default` in init: a member a file or message leaves out takes its default, not null (System.Text.Json's
    // generated code sets every init-only member, passing null for a missing one).
    /// <summary>The addresses learned for the adapter's own MAC, IPv4 first.</summary>
    public IReadOnlyList<string> IPAddresses { get; init => field = value ?? []; } = [];

    /// <summary>Every learned address, nested MACs included.</summary>
    public IReadOnlyList<LearnedAddressStatus> LearnedAddresses { get; init => field = value ?? []; } = [];

    public long TransmittedFrames { get; init; }

    public long TransmittedBytes { get; init; }

    public long ReceivedFrames { get; init; }

    public long ReceivedBytes { get; init; }

    /// <summary>Frames the guest sent from a source MAC other than its own while MAC address spoofing was Off.</summary>
    public long DroppedSpoofedFrames { get; init; }

    public long DroppedMalformedFrames { get; init; }
}

/// <summary>One address learned on a port: the MAC it was seen with, the address, and how (Dhcp, Arp, NeighborDiscovery).</summary>
public sealed record LearnedAddressStatus(string MacAddress, string IPAddress, string Source);
