using System.Text.Json;

namespace HyperNest.Cli.Tests.Commands;

/// <summary><c>hnest switch</c> and <c>hnest vm adapter connect|disconnect</c>.</summary>
public sealed class SwitchCommandTests : IDisposable
{
    private readonly VmHome _home = new();

    public void Dispose() => _home.Dispose();

    private static bool BridgeExists(string name) => Directory.Exists($"/sys/class/net/{name}");

    [SkippableFact]
    public void A_Switch_Is_Made_Listed_Shown_Connected_To_And_Removed_With_Its_Bridge()
    {
        Skip.IfNot(HostNetAdmin.Usable, HostNetAdmin.WhyNot);

        _home.Ok("switch", "new", "hnt-lab", "--type", "internal", "--notes", "test lab");
        _home.Ok("vm", "new", "web", "--switch", "HNT-LAB");
        _home.Ok("vm", "adapter", "add", "web", "second");
        _home.Ok("vm", "adapter", "connect", "web", "second", "hnt-lab");
        string table = _home.Ok("switch", "list").Stdout;
        string details = _home.Ok("switch", "show", "hnt-lab").Stdout;
        using JsonDocument shown = JsonDocument.Parse(_home.Ok("switch", "show", "hnt-lab", "--json").Stdout);
        string bridge = shown.RootElement.GetProperty("switch").GetProperty("bridgeName").GetString()!;

        Assert.Matches(@"^Name\s+SwitchType\s+NetAdapterInterfaceDescription\n", table);
        Assert.Matches(@"\nhnt-lab\s+Internal\s*\n", table);
        Assert.Contains("ConnectedAdapters   : web/Network Adapter, web/second", details);
        Assert.Contains($"ManagementOSAdapter : vEthernet (hnt-lab) = {bridge}", details);
        Assert.Equal("test lab", shown.RootElement.GetProperty("switch").GetProperty("notes").GetString());
        Assert.True(BridgeExists(bridge));

        _home.Ok("switch", "remove", "hnt-lab");

        Assert.False(BridgeExists(bridge));
        Assert.Equal("[]", _home.Ok("switch", "list", "--json").Stdout.Trim());
        Assert.All(_home.Show("web").GetProperty("configuration").GetProperty("networkAdapters").EnumerateArray(),
            a => Assert.Equal(JsonValueKind.Null, a.GetProperty("switchName").ValueKind));
    }

    [SkippableFact]
    public void Host_Side_Bad_Input_Is_One_Line_And_Leaves_Nothing()
    {
        Skip.IfNot(HostNetAdmin.Usable, HostNetAdmin.WhyNot);
        _home.Ok("switch", "new", "hnt-dup", "--type", "private");

        Assert.Equal("hnest: A virtual switch named 'HNT-DUP' already exists.", _home.Fails("switch", "new", "HNT-DUP", "--type", "internal"));
        Assert.Equal("hnest: The network adapter 'hntnosuch0' was not found on this host.", _home.Fails("switch", "new", "hnt-ext", "--net-adapter", "hntnosuch0"));
        Assert.Single(JsonDocument.Parse(_home.Ok("switch", "list", "--json").Stdout).RootElement.EnumerateArray());
    }

    [SkippableFact]
    public void Without_CAP_NET_ADMIN_A_Switch_Is_Refused_Before_Anything_Is_Done()
    {
        Skip.IfNot(HostNetAdmin.Usable && File.Exists("/usr/bin/setpriv"), "needs root and setpriv to run hnest without CAP_NET_ADMIN");

        HnestProcess.Result result = HnestProcess.RunWrapped(["setpriv", "--bounding-set=-net_admin"], _home.Environment, "switch", "new", "hnt-cap", "--type", "private");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("hnest: creating a virtual switch needs CAP_NET_ADMIN (run as root)", Assert.Single(result.StderrLines));
        Assert.False(Directory.Exists(Path.Combine(_home.Path, "switches")));
    }

    [Fact]
    public void Bad_Input_Without_The_Host_Is_One_Line_And_Exit_Code_2()
    {
        _home.Ok("vm", "new", "web");

        Assert.Equal("hnest: HyperNest was unable to find a virtual switch with name \"nosuch\".", _home.Fails("vm", "adapter", "connect", "web", "Network Adapter", "nosuch"));
        Assert.Equal("hnest: HyperNest was unable to find a virtual switch with name \"nosuch\".", _home.Fails("vm", "new", "db", "--switch", "nosuch"));
        Assert.Equal("hnest: HyperNest was unable to find a virtual switch with name \"nosuch\".", _home.Fails("switch", "show", "nosuch"));
        Assert.Equal("hnest: --type 'bogus': expected private, internal or external", _home.Fails("switch", "new", "x", "--type", "bogus"));
        Assert.Equal("hnest: --type '1': expected private, internal or external", _home.Fails("switch", "new", "x", "--type", "1"));
        Assert.Equal("hnest: --type 'Private, Internal': expected private, internal or external", _home.Fails("switch", "new", "x", "--type", "Private, Internal"));
        Assert.StartsWith("hnest: --type private|internal|external is needed", _home.Fails("switch", "new", "x"));
        Assert.Single(JsonDocument.Parse(_home.Ok("vm", "list", "--json").Stdout).RootElement.EnumerateArray());
    }

    [Fact]
    public void An_Adapter_Connects_To_A_Recorded_Switch_By_Its_Own_Spelling_And_Disconnects()
    {
        _home.Ok("vm", "new", "web");
        _home.AddSwitchRecord("Lab");

        _home.Ok("vm", "adapter", "connect", "web", "Network Adapter", "LAB");
        string connected = _home.Ok("vm", "adapter", "list", "web").Stdout;
        string shown = _home.Ok("switch", "show", "lab").Stdout;
        _home.Ok("vm", "adapter", "disconnect", "web", "Network Adapter");

        // Columns: Name MacAddress Allocation MacAddressSpoofing SwitchName Status IPAddresses (the VM is Off: no port).
        Assert.Matches(@"Network Adapter .* Off +Lab +- +-\n", connected);
        Assert.Contains("ConnectedAdapters   : web/Network Adapter", shown);
        Assert.Contains("(absent: made again when a VM on the switch starts)", shown);
        Assert.Matches(@"Network Adapter .* Off +- +- +-\n", _home.Ok("vm", "adapter", "list", "web").Stdout);
    }
}
