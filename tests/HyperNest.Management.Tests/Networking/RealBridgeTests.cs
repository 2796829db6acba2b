using System.Text.Json;
using HyperNest.Management.Networking;

namespace HyperNest.Management.Tests.Networking;

/// <summary>
/// Switches on this host's real network, through iproute2 (root only; skipped with the reason elsewhere). The
/// External switch takes a veth end made for the test ("hntnic..."), with an address and a route from the
/// documentation ranges: never one of the machine's own NICs. Everything is removed in Dispose.
/// </summary>
public sealed class RealBridgeTests : IDisposable
{
    private readonly TempStore _temp = new();
    private readonly SwitchManager _switches;
    private readonly string _nic = HostNetAdmin.UniqueName("hntnic");

    public RealBridgeTests()
    {
        _switches = new SwitchManager(_temp.Store, new IpRoute2Network()) { BridgePrefix = "hntbr" };
    }

    public void Dispose()
    {
        foreach (VirtualSwitch record in _switches.Switches.List().Switches)
        {
            HostNetAdmin.TryIp("link", "del", "dev", record.BridgeName);
        }

        HostNetAdmin.TryIp("link", "del", "dev", _nic);
        _temp.Dispose();
    }

    private static JsonElement Link(string name)
    {
        using JsonDocument document = JsonDocument.Parse(HostNetAdmin.Ip("-j", "-d", "link", "show", "dev", name));
        return document.RootElement[0].Clone();
    }

    private static string Addresses(string name) =>
        string.Join(",", JsonDocument.Parse(HostNetAdmin.Ip("-j", "-4", "addr", "show", "dev", name)).RootElement.EnumerateArray()
            .SelectMany(l => l.GetProperty("addr_info").EnumerateArray()).Select(a => $"{a.GetProperty("local")}/{a.GetProperty("prefixlen")}"));

    private static string Routes(string name) =>
        string.Join(",", JsonDocument.Parse(HostNetAdmin.Ip("-j", "-4", "route", "show", "dev", name)).RootElement.EnumerateArray()
            .Where(r => !r.TryGetProperty("protocol", out JsonElement p) || p.GetString() != "kernel")
            .Select(r => $"{r.GetProperty("dst")} via {r.GetProperty("gateway")}"));

    /// <summary>A veth end standing in for a NIC: up, 198.51.100.10/24, and 203.0.113.0/24 via 198.51.100.1.</summary>
    private void MakeNic()
    {
        HostNetAdmin.Ip("link", "add", "name", _nic, "type", "veth", "peer", "name", _nic + "p");
        HostNetAdmin.Ip("link", "set", "dev", _nic, "up");
        HostNetAdmin.Ip("link", "set", "dev", _nic + "p", "up");
        HostNetAdmin.Ip("addr", "add", "198.51.100.10/24", "dev", _nic);
        HostNetAdmin.Ip("route", "add", "203.0.113.0/24", "via", "198.51.100.1", "dev", _nic);
    }

    [SkippableFact]
    public void A_Private_Switch_Is_A_Bridge_Without_Stp_Or_Forward_Delay_Or_IPv6()
    {
        Skip.IfNot(HostNetAdmin.Usable, HostNetAdmin.WhyNot);

        VirtualSwitchInfo lab = _switches.NewSwitch(new NewSwitchOptions { Name = "hnt-private", SwitchType = VirtualSwitchType.Private });

        JsonElement bridge = Link(lab.Switch.BridgeName);
        JsonElement data = bridge.GetProperty("linkinfo").GetProperty("info_data");
        Assert.Equal("bridge", bridge.GetProperty("linkinfo").GetProperty("info_kind").GetString());
        Assert.Equal(0, data.GetProperty("stp_state").GetInt32());
        Assert.Equal(0, data.GetProperty("forward_delay").GetInt32());
        Assert.Contains("UP", bridge.GetProperty("flags").EnumerateArray().Select(f => f.GetString()));
        Assert.Equal("vEthernet (hnt-private)", bridge.GetProperty("ifalias").GetString());
        Assert.Equal("1", File.ReadAllText($"/proc/sys/net/ipv6/conf/{lab.Switch.BridgeName}/disable_ipv6").Trim());

        _switches.RemoveSwitch("hnt-private");
        Assert.False(Directory.Exists($"/sys/class/net/{lab.Switch.BridgeName}"));
    }

    [SkippableFact]
    public void An_External_Switch_Moves_The_Nic_s_Address_And_Route_To_The_Bridge_And_Gives_Them_Back()
    {
        Skip.IfNot(HostNetAdmin.Usable, HostNetAdmin.WhyNot);
        MakeNic();
        string mac = Link(_nic).GetProperty("address").GetString()!;

        VirtualSwitchInfo uplink = _switches.NewSwitch(new NewSwitchOptions { Name = "hnt-external", SwitchType = VirtualSwitchType.External, NetAdapterName = _nic });

        string bridge = uplink.Switch.BridgeName;
        Assert.Equal(bridge, Link(_nic).GetProperty("master").GetString());
        Assert.Equal(mac, Link(bridge).GetProperty("address").GetString());
        Assert.Equal("198.51.100.10/24", Addresses(bridge));
        Assert.Equal("203.0.113.0/24 via 198.51.100.1", Routes(bridge));
        Assert.Equal(("", ""), (Addresses(_nic), Routes(_nic)));

        _switches.RemoveSwitch("hnt-external");

        Assert.False(Link(_nic).TryGetProperty("master", out _));
        Assert.Equal("198.51.100.10/24", Addresses(_nic));
        Assert.Equal("203.0.113.0/24 via 198.51.100.1", Routes(_nic));
    }

    [SkippableFact]
    public void A_Failed_External_Switch_Leaves_No_Bridge_And_The_Nic_As_It_Was()
    {
        Skip.IfNot(HostNetAdmin.Usable, HostNetAdmin.WhyNot);
        MakeNic();
        // A second switch on the peer takes it; then the peer's own switch cannot be made on a NIC that is a port.
        HostNetAdmin.Ip("link", "add", "name", _nic + "b", "type", "bridge");
        try
        {
            HostNetAdmin.Ip("link", "set", "dev", _nic, "master", _nic + "b");

            var e = Assert.Throws<VmValidationException>(() => _switches.NewSwitch(new NewSwitchOptions
            {
                Name = "hnt-taken", SwitchType = VirtualSwitchType.External, NetAdapterName = _nic,
            }));

            Assert.Equal($"The network adapter '{_nic}' is already a port of bridge '{_nic}b'.", e.Message);
            Assert.Empty(_switches.GetSwitches().Switches);
            Assert.Equal("198.51.100.10/24", Addresses(_nic));
        }
        finally
        {
            HostNetAdmin.TryIp("link", "del", "dev", _nic + "b");
        }
    }

    [SkippableFact]
    public void EnsureBridge_Remakes_A_Deleted_Bridge_And_AttachInterface_Makes_A_Tap_A_Port()
    {
        Skip.IfNot(HostNetAdmin.Usable, HostNetAdmin.WhyNot);
        VirtualSwitchInfo lab = _switches.NewSwitch(new NewSwitchOptions { Name = "hnt-internal", SwitchType = VirtualSwitchType.Internal });
        HostNetAdmin.Ip("link", "del", "dev", lab.Switch.BridgeName);
        string tap = HostNetAdmin.UniqueName("hnttap");
        HostNetAdmin.Ip("tuntap", "add", "dev", tap, "mode", "tap");
        try
        {
            Assert.Equal(lab.Switch.BridgeName, _switches.EnsureBridge("hnt-internal"));
            _switches.AttachInterface("hnt-internal", tap);

            Assert.Equal(lab.Switch.BridgeName, Link(tap).GetProperty("master").GetString());
            Assert.Equal("0", File.ReadAllText($"/proc/sys/net/ipv6/conf/{lab.Switch.BridgeName}/disable_ipv6").Trim());
        }
        finally
        {
            HostNetAdmin.TryIp("tuntap", "del", "dev", tap, "mode", "tap");
        }
    }

    [SkippableFact]
    public void An_Ip_Refusal_Is_One_Line_Naming_The_Command()
    {
        Skip.IfNot(HostNetAdmin.Usable, HostNetAdmin.WhyNot);

        var e = Assert.Throws<HostNetworkException>(() => new IpRoute2Network().SetMaster("lo", "hntnosuch0"));

        Assert.StartsWith("ip link set dev lo master hntnosuch0: ", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }
}
