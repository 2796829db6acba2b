namespace HyperNest.Management.Networking;

/// <summary>
/// A route of one interface as <c>ip -j route show dev X</c> reports it, kept so that it can be added again on
/// another interface (the bridge that takes a NIC's place, or the NIC given back).
/// </summary>
public sealed record IpRoute
{
    /// <summary>"default" or a prefix, 10.0.0.0/24 or 2001:db8::/64.</summary>
    public required string Destination { get; init; }

    public bool Ipv6 { get; init; }

    public string? Gateway { get; init; }

    public int? Metric { get; init; }

    /// <summary>The preferred source address (prefsrc).</summary>
    public string? Source { get; init; }

    /// <summary>Who added it: boot, static, dhcp, ...; kernel routes follow the addresses and are never copied.</summary>
    public string? Protocol { get; init; }
}
