using HyperNest.Management.Networking;

namespace HyperNest.Management.Tests.Networking;

/// <summary>
/// A host network in memory: links with their master, MAC, IPv6 switch, addresses and routes. Every change is
/// logged ("SetMaster eth1 hnbr-..."), and one whose log line starts with <see cref="FailOn"/> fails as ip would.
/// </summary>
internal sealed class FakeHostNetwork : IHostNetwork
{
    public sealed class Link
    {
        public required string Name { get; init; }

        public string MacAddress { get; set; } = "52:54:00:12:34:56";

        public string? Master { get; set; }

        public string? Kind { get; init; }

        public bool IsUp { get; set; }

        public bool Ipv6Disabled { get; set; }

        public string? Alias { get; set; }

        public List<string> Addresses { get; } = [];

        public List<IpRoute> Routes { get; } = [];
    }

    public Dictionary<string, Link> Links { get; } = [];

    public List<string> Log { get; } = [];

    public bool HasNetAdmin { get; set; } = true;

    public string? FailOn { get; set; }

    /// <summary>A NIC with an address, a connected and a default route, as a host's uplink has.</summary>
    public Link AddNic(string name, string mac = "52:54:00:aa:bb:cc")
    {
        var nic = new Link { Name = name, MacAddress = mac, IsUp = true };
        nic.Addresses.Add("192.0.2.10/24");
        nic.Routes.Add(new IpRoute { Destination = "default", Gateway = "192.0.2.1", Protocol = "static" });
        Links[name] = nic;
        return nic;
    }

    public NetworkLink? GetLink(string name) =>
        Links.TryGetValue(name, out Link? l) ? new NetworkLink(l.Name, l.MacAddress, l.Master, l.Kind, l.IsUp) : null;

    public void AddBridge(string name) => Change($"AddBridge {name}", () => Links.Add(name, new Link { Name = name, Kind = "bridge" }));

    public void DeleteLink(string name) => Change($"DeleteLink {name}", () =>
    {
        Existing(name);
        Links.Remove(name);
        foreach (Link port in Links.Values.Where(l => l.Master == name))
        {
            port.Master = null;
        }
    });

    public void SetAlias(string name, string alias) => Change($"SetAlias {name} {alias}", () => Existing(name).Alias = alias);

    public void SetMacAddress(string name, string macAddress) => Change($"SetMacAddress {name} {macAddress}", () => Existing(name).MacAddress = macAddress);

    public void SetUp(string name, bool up) => Change($"SetUp {name} {up}", () => Existing(name).IsUp = up);

    public void SetMaster(string name, string? bridge) => Change($"SetMaster {name} {bridge}", () =>
    {
        if (bridge is not null)
        {
            Existing(bridge);
        }

        Existing(name).Master = bridge;
    });

    public void SetIpv6Disabled(string name, bool disabled) => Change($"SetIpv6Disabled {name} {disabled}", () => Existing(name).Ipv6Disabled = disabled);

    public IpConfiguration GetIpConfiguration(string name) =>
        new() { Addresses = [.. Existing(name).Addresses], Routes = [.. Existing(name).Routes] };

    public void AddIpConfiguration(string name, IpConfiguration configuration) => Change($"AddIpConfiguration {name}", () =>
    {
        Link link = Existing(name);
        link.Addresses.AddRange(configuration.Addresses.Except(link.Addresses));
        link.Routes.AddRange(configuration.Routes.Except(link.Routes));
    });

    public void RemoveIpConfiguration(string name, IpConfiguration configuration) => Change($"RemoveIpConfiguration {name}", () =>
    {
        Link link = Existing(name);
        link.Addresses.RemoveAll(configuration.Addresses.Contains);
        link.Routes.RemoveAll(configuration.Routes.Contains);
    });

    private Link Existing(string name) =>
        Links.TryGetValue(name, out Link? link) ? link : throw new HostNetworkException($"ip link: Device \"{name}\" does not exist.");

    private void Change(string what, Action apply)
    {
        if (FailOn is not null && what.StartsWith(FailOn, StringComparison.Ordinal))
        {
            throw new HostNetworkException($"ip {what}: Operation not supported");
        }

        apply();
        Log.Add(what);
    }
}
