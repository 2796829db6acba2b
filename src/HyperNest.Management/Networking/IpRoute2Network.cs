using HyperNest.Kvm;
using System.Globalization;
using System.Text.Json;

namespace HyperNest.Management.Networking;

/// <summary>
/// The host's network through iproute2: <c>ip -j</c> (JSON) to read, one <c>ip</c> command per change, and
/// /proc/sys/net/ipv6/conf/&lt;if&gt;/disable_ipv6 for IPv6.
/// </summary>
public sealed class IpRoute2Network : IHostNetwork
{
    private const string SysClassNet = "/sys/class/net";
    private const string Ipv6Conf = "/proc/sys/net/ipv6/conf";

    // Routes the kernel makes from the addresses (kernel) or router advertisements (ra) come back by themselves.
    private static readonly string[] DerivedRouteProtocols = ["kernel", "ra"];

    public bool HasNetAdmin => NetAdminCapability.IsEffective();

    public NetworkLink? GetLink(string name)
    {
        if (!IsInterfaceName(name) || !Directory.Exists(Path.Combine(SysClassNet, name)))
        {
            return null;
        }

        using JsonDocument document = JsonDocument.Parse(IpCommand.Run("-j", "-d", "link", "show", "dev", name));
        JsonElement link = document.RootElement.EnumerateArray().First();
        return new NetworkLink(
            link.GetProperty("ifname").GetString()!,
            String(link, "address") ?? string.Empty,
            String(link, "master"),
            link.TryGetProperty("linkinfo", out JsonElement info) ? String(info, "info_kind") : null,
            link.GetProperty("flags").EnumerateArray().Any(f => f.GetString() == "UP"));
    }

    public void AddBridge(string name) =>
        IpCommand.Run("link", "add", "name", name, "type", "bridge", "stp_state", "0", "forward_delay", "0");

    public void DeleteLink(string name) => IpCommand.Run("link", "del", "dev", name);

    public void SetAlias(string name, string alias) => IpCommand.Run("link", "set", "dev", name, "alias", alias);

    public void SetMacAddress(string name, string macAddress) => IpCommand.Run("link", "set", "dev", name, "address", macAddress);

    public void SetUp(string name, bool up) => IpCommand.Run("link", "set", "dev", name, up ? "up" : "down");

    public void SetMaster(string name, string? bridge) =>
        IpCommand.Run(["link", "set", "dev", name, .. bridge is null ? ["nomaster"] : new[] { "master", bridge }]);

    public void SetIpv6Disabled(string name, bool disabled)
    {
        if (!Directory.Exists(Ipv6Conf))
        {
            return; // No IPv6 on this host at all.
        }

        string path = Path.Combine(Ipv6Conf, name, "disable_ipv6");
        try
        {
            File.WriteAllText(path, disabled ? "1" : "0");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new HostNetworkException($"cannot write {path}: {e.UserMessage()}");
        }
    }

    public IpConfiguration GetIpConfiguration(string name)
    {
        using JsonDocument addresses = JsonDocument.Parse(IpCommand.Run("-j", "addr", "show", "dev", name));
        using JsonDocument routes4 = JsonDocument.Parse(IpCommand.Run("-j", "-4", "route", "show", "dev", name));
        using JsonDocument routes6 = JsonDocument.Parse(IpCommand.Run("-j", "-6", "route", "show", "dev", name));
        return new IpConfiguration
        {
            Addresses = [.. addresses.RootElement.EnumerateArray().SelectMany(l => l.GetProperty("addr_info").EnumerateArray()).Where(IsMovable)
                .Select(a => string.Create(CultureInfo.InvariantCulture, $"{a.GetProperty("local").GetString()}/{a.GetProperty("prefixlen").GetInt32()}"))],
            Routes = [.. Routes(routes4, ipv6: false), .. Routes(routes6, ipv6: true)],
        };
    }

    public void AddIpConfiguration(string name, IpConfiguration configuration)
    {
        foreach (string address in configuration.Addresses)
        {
            // The address was in use on the NIC already: no duplicate address detection to wait for.
            IpCommand.Run(["addr", "replace", address, "dev", name, .. IsIpv6(address) ? ["nodad"] : Array.Empty<string>()]);
        }

        foreach (IpRoute route in configuration.Routes)
        {
            IpCommand.Run(RouteCommand("replace", route, name));
        }
    }

    public void RemoveIpConfiguration(string name, IpConfiguration configuration)
    {
        foreach (IpRoute route in configuration.Routes)
        {
            IpCommand.RunTolerating(["No such process"], RouteCommand("del", route, name));
        }

        foreach (string address in configuration.Addresses)
        {
            // Gone already: older kernels say "Cannot assign requested address", newer ones "Address not found".
            IpCommand.RunTolerating(["Cannot assign requested address", "Address not found"], "addr", "del", address, "dev", name);
        }
    }

    /// <summary>What a Linux interface name may be (net/core/dev.c dev_valid_name): 1-15 bytes, no '/', ':' or space.</summary>
    public static bool IsInterfaceName(string name) =>
        name.Length is > 0 and <= 15 && name is not ("." or "..") && !name.Any(c => c is '/' or ':' || char.IsWhiteSpace(c) || c > 0x7E);

    private static string[] RouteCommand(string verb, IpRoute route, string device) =>
    [
        route.Ipv6 ? "-6" : "-4", "route", verb, route.Destination,
        .. route.Gateway is { } gateway ? ["via", gateway] : Array.Empty<string>(),
        .. route.Metric is { } metric ? ["metric", metric.ToString(CultureInfo.InvariantCulture)] : Array.Empty<string>(),
        .. route.Source is { } source ? ["src", source] : Array.Empty<string>(),
        .. route.Protocol is { } protocol ? ["proto", protocol] : Array.Empty<string>(),
        "dev", device,
    ];

    /// <summary>IPv4 addresses, and IPv6 ones of global scope set by hand or DHCP (not SLAAC's: the bridge makes its own).</summary>
    private static bool IsMovable(JsonElement address) => String(address, "family") switch
    {
        "inet" => true,
        "inet6" => String(address, "scope") == "global" && !(address.TryGetProperty("dynamic", out JsonElement dynamic) && dynamic.GetBoolean()),
        _ => false,
    };

    private static IEnumerable<IpRoute> Routes(JsonDocument routes, bool ipv6) => routes.RootElement.EnumerateArray()
        .Where(r => !DerivedRouteProtocols.Contains(String(r, "protocol")) && (String(r, "type") ?? "unicast") == "unicast"
            && !String(r, "dst")!.StartsWith("fe80:", StringComparison.OrdinalIgnoreCase))
        .Select(r => new IpRoute
        {
            Destination = String(r, "dst")!,
            Ipv6 = ipv6,
            Gateway = String(r, "gateway"),
            Metric = r.TryGetProperty("metric", out JsonElement metric) ? metric.GetInt32() : null,
            Source = String(r, "prefsrc"),
            Protocol = String(r, "protocol"),
        })
        .ToList();

    private static bool IsIpv6(string address) => address.Contains(':', StringComparison.Ordinal);

    private static string? String(JsonElement element, string property) =>
        element.TryGetProperty(property, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
