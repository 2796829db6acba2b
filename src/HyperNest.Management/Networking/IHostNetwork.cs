namespace HyperNest.Management.Networking;

/// <summary>
/// The host's network as virtual switches need it: links, bridges, ports, addresses and routes. The seam between
/// the switch rules and iproute2 (<see cref="IpRoute2Network"/>); tests put a fake behind it. Every change throws
/// <see cref="HostNetworkException"/> with one line naming what was refused.
/// </summary>
public interface IHostNetwork
{
    /// <summary>Whether this process may change the host's network (CAP_NET_ADMIN in its effective set).</summary>
    bool HasNetAdmin { get; }

    /// <summary>The interface, or null when the host has none of that name.</summary>
    NetworkLink? GetLink(string name);

    /// <summary>A bridge with STP off and a forward delay of 0 (a VM's first DHCP frames pass), ageing left at its default.</summary>
    void AddBridge(string name);

    void DeleteLink(string name);

    /// <summary>The interface's alias (ifalias): a bridge carries Hyper-V's "vEthernet (Name)".</summary>
    void SetAlias(string name, string alias);

    void SetMacAddress(string name, string macAddress);

    void SetUp(string name, bool up);

    /// <summary>Makes the interface a port of <paramref name="bridge"/>, or takes it out of its bridge when null.</summary>
    void SetMaster(string name, string? bridge);

    /// <summary>IPv6 off on the interface (no link-local address): the host takes no part on it.</summary>
    void SetIpv6Disabled(string name, bool disabled);

    /// <summary>The interface's host addresses and routes, as far as they can be moved (no kernel or link-local ones).</summary>
    IpConfiguration GetIpConfiguration(string name);

    /// <summary>Adds the addresses, then the routes (which may need them).</summary>
    void AddIpConfiguration(string name, IpConfiguration configuration);

    /// <summary>Removes the routes, then the addresses; what is already gone is no error.</summary>
    void RemoveIpConfiguration(string name, IpConfiguration configuration);
}
