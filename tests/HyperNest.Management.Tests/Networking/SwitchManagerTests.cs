using HyperNest.Management.Lifecycle;
using HyperNest.Management.Model;
using HyperNest.Management.Networking;
using HyperNest.Management.Worker;

namespace HyperNest.Management.Tests.Networking;

/// <summary>The switch rules and their host plumbing, on a host network in memory: no root needed.</summary>
public sealed class SwitchManagerTests : IDisposable
{
    private readonly TempStore _temp = new();
    private readonly FakeHostNetwork _host = new();
    private readonly SwitchManager _switches;
    private readonly VmManager _vms;

    public SwitchManagerTests()
    {
        _switches = new SwitchManager(_temp.Store, _host);
        _vms = new VmManager(_temp.Store, new WorkerLauncher("/bin/false", []));
    }

    public void Dispose() => _temp.Dispose();

    private VirtualSwitchInfo New(string name, VirtualSwitchType type, string? nic = null, bool? allowManagementOS = null) =>
        _switches.NewSwitch(new NewSwitchOptions { Name = name, SwitchType = type, NetAdapterName = nic, AllowManagementOS = allowManagementOS });

    private FakeHostNetwork.Link Bridge(VirtualSwitchInfo info) => _host.Links[info.Switch.BridgeName];

    [Fact]
    public void A_Private_Switch_Is_A_Bridge_Up_Without_Host_Addresses_Or_IPv6_And_Is_Recorded()
    {
        VirtualSwitchInfo lab = New("lab", VirtualSwitchType.Private);

        Assert.Matches("^hnbr-[0-9a-f]{8}$", lab.Switch.BridgeName);
        FakeHostNetwork.Link bridge = Bridge(lab);
        Assert.True(bridge.IsUp);
        Assert.True(bridge.Ipv6Disabled);
        Assert.Empty(bridge.Addresses);
        Assert.Equal("vEthernet (lab)", bridge.Alias);
        Assert.False(lab.Switch.AllowManagementOS);
        Assert.Null(lab.ManagementOSAdapterName);
        Assert.True(File.Exists(Path.Combine(_temp.Home, "switches", $"{lab.Id}.json")));
        Assert.Equal(lab.Switch, _switches.GetSwitch("LAB").Switch);
    }

    [Fact]
    public void An_Internal_Switch_Is_The_Host_s_vEthernet_Interface_With_IPv6_On()
    {
        VirtualSwitchInfo lab = New("lab", VirtualSwitchType.Internal);

        Assert.False(Bridge(lab).Ipv6Disabled);
        Assert.True(lab.Switch.AllowManagementOS);
        Assert.Equal("vEthernet (lab)", lab.ManagementOSAdapterName);
        Assert.True(lab.BridgeExists);
    }

    [Fact]
    public void An_External_Switch_Takes_The_Nic_And_Moves_Its_Addresses_And_Routes_To_The_Bridge()
    {
        FakeHostNetwork.Link nic = _host.AddNic("eth9");

        VirtualSwitchInfo uplink = New("uplink", VirtualSwitchType.External, "eth9");

        FakeHostNetwork.Link bridge = Bridge(uplink);
        Assert.Equal(bridge.Name, nic.Master);
        Assert.Equal(nic.MacAddress, bridge.MacAddress);
        Assert.Equal(["192.0.2.10/24"], bridge.Addresses);
        Assert.Equal("192.0.2.1", Assert.Single(bridge.Routes).Gateway);
        Assert.Empty(nic.Addresses);
        Assert.Empty(nic.Routes);
        Assert.True(uplink.Switch.AllowManagementOS);
        Assert.False(bridge.Ipv6Disabled);
    }

    [Fact]
    public void Removing_An_External_Switch_Gives_The_Nic_Back_With_The_Addresses_And_Routes()
    {
        FakeHostNetwork.Link nic = _host.AddNic("eth9");
        New("uplink", VirtualSwitchType.External, "eth9");

        _switches.RemoveSwitch("uplink");

        Assert.Null(nic.Master);
        Assert.Equal(["192.0.2.10/24"], nic.Addresses);
        Assert.Single(nic.Routes);
        Assert.DoesNotContain(_host.Links.Keys, k => k.StartsWith("hnbr-", StringComparison.Ordinal));
        Assert.Empty(_switches.GetSwitches().Switches);
    }

    [Fact]
    public void Without_AllowManagementOS_The_Host_Loses_The_Nic_s_Addresses_Until_The_Switch_Goes()
    {
        FakeHostNetwork.Link nic = _host.AddNic("eth9");

        VirtualSwitchInfo uplink = New("uplink", VirtualSwitchType.External, "eth9", allowManagementOS: false);

        Assert.Empty(Bridge(uplink).Addresses);
        Assert.True(Bridge(uplink).Ipv6Disabled);
        Assert.Empty(nic.Addresses);
        Assert.Equal(["192.0.2.10/24"], uplink.Switch.NetAdapterIpConfiguration!.Addresses);
        _switches.RemoveSwitch("uplink");
        Assert.Equal(["192.0.2.10/24"], nic.Addresses);
        Assert.Single(nic.Routes);
    }

    [Fact]
    public void Names_Are_Unique_Ignoring_Case()
    {
        New("Lab", VirtualSwitchType.Private);

        var e = Assert.Throws<VirtualSwitchExistsException>(() => New("LAB", VirtualSwitchType.Internal));

        Assert.Equal("A virtual switch named 'LAB' already exists.", e.Message);
        Assert.Single(_switches.GetSwitches().Switches);
    }

    [Theory]
    [InlineData("", "The virtual switch name cannot be empty.")]
    [InlineData("a\tb", "The virtual switch name 'a?b' is not valid: at most 100 characters, no control characters.")]
    [InlineData(" lab", "The virtual switch name ' lab' begins or ends with spaces: give it without them.")]
    public void Names_Follow_The_VM_Name_Rules(string name, string message) =>
        Assert.Equal(message, Assert.Throws<VmValidationException>(() => New(name, VirtualSwitchType.Private)).Message);

    [Fact]
    public void External_Needs_A_Nic_Of_This_Host_That_No_Bridge_Has()
    {
        _host.AddNic("eth9");
        _host.AddNic("eth8").Master = "br0";
        New("uplink", VirtualSwitchType.External, "eth9");

        Assert.Equal("An External virtual switch needs a network adapter (-NetAdapterName).",
            Assert.Throws<VmValidationException>(() => New("x", VirtualSwitchType.External)).Message);
        Assert.Equal("The network adapter 'nosuch0' was not found on this host.",
            Assert.Throws<VmValidationException>(() => New("x", VirtualSwitchType.External, "nosuch0")).Message);
        Assert.Equal("The network adapter 'eth9' is already bound to virtual switch 'uplink'.",
            Assert.Throws<VmValidationException>(() => New("x", VirtualSwitchType.External, "eth9")).Message);
        Assert.Equal("The network adapter 'eth8' is already a port of bridge 'br0'.",
            Assert.Throws<VmValidationException>(() => New("x", VirtualSwitchType.External, "eth8")).Message);
        Assert.Contains("takes no network adapter", Assert.Throws<VmValidationException>(() => New("x", VirtualSwitchType.Private, "eth9")).Message);
        Assert.Single(_switches.GetSwitches().Switches);
    }

    [Fact]
    public void Without_CAP_NET_ADMIN_Nothing_Is_Touched()
    {
        _host.HasNetAdmin = false;

        var e = Assert.Throws<HostPermissionException>(() => New("lab", VirtualSwitchType.Private));

        Assert.Equal("creating a virtual switch needs CAP_NET_ADMIN (run as root)", e.Message);
        Assert.Empty(_host.Log);
        Assert.False(Directory.Exists(Path.Combine(_temp.Home, "switches")));
    }

    [Theory]
    [InlineData("SetUp hnbr-")]
    [InlineData("SetMaster eth9")]
    [InlineData("RemoveIpConfiguration eth9")]
    [InlineData("AddIpConfiguration hnbr-")]
    public void A_Failure_At_Any_Step_Leaves_Neither_Bridge_Nor_Record_And_The_Nic_As_It_Was(string failingStep)
    {
        FakeHostNetwork.Link nic = _host.AddNic("eth9");
        _host.FailOn = failingStep;

        var e = Assert.Throws<HostNetworkException>(() => New("uplink", VirtualSwitchType.External, "eth9"));

        Assert.StartsWith($"ip {failingStep}", e.Message);
        Assert.Equal(["eth9"], _host.Links.Keys);
        Assert.Null(nic.Master);
        Assert.Equal(["192.0.2.10/24"], nic.Addresses);
        Assert.Single(nic.Routes);
        Assert.Empty(_switches.GetSwitches().Switches);
    }

    [Fact]
    public void Removing_A_Switch_Disconnects_The_Adapters_On_It()
    {
        New("lab", VirtualSwitchType.Private);
        _vms.NewVm(new NewVmOptions { Name = "web", SwitchName = "LAB" });
        _vms.AddNetworkAdapter("web", "second", new NetworkAdapterChanges());
        _vms.ConnectNetworkAdapter("web", "second", "lab");

        Assert.Equal(["web/Network Adapter", "web/second"], _switches.GetSwitch("lab").ConnectedAdapters.Select(c => c.ToString()));
        _switches.RemoveSwitch("lab");

        Assert.All(_vms.GetVm("web").Configuration.NetworkAdapters, a => Assert.Null(a.SwitchName));
    }

    [Fact]
    public void Connecting_To_A_Switch_That_Does_Not_Exist_Is_A_Validation_Error_Everywhere()
    {
        _vms.NewVm(new NewVmOptions { Name = "web" });
        const string Message = "HyperNest was unable to find a virtual switch with name \"nope\".";

        Assert.Equal(Message, Assert.Throws<VirtualSwitchNotFoundException>(() => _vms.NewVm(new NewVmOptions { Name = "db", SwitchName = "nope" })).Message);
        Assert.Equal(Message, Assert.Throws<VirtualSwitchNotFoundException>(
            () => _vms.AddNetworkAdapter("web", "lan", new NetworkAdapterChanges { SwitchName = "nope" })).Message);
        Assert.Equal(Message, Assert.Throws<VirtualSwitchNotFoundException>(() => _vms.ConnectNetworkAdapter("web", "Network Adapter", "nope")).Message);
        Assert.IsAssignableFrom<VmValidationException>(Assert.Throws<VirtualSwitchNotFoundException>(() => _switches.GetSwitch("nope")));
        Assert.Single(_vms.GetVms().Vms);
    }

    [Fact]
    public void An_Adapter_Keeps_The_Switch_s_Own_Spelling_And_Disconnects()
    {
        New("Lab", VirtualSwitchType.Internal);
        _vms.NewVm(new NewVmOptions { Name = "web" });

        Assert.Equal("Lab", _vms.ConnectNetworkAdapter("web", "network adapter", "LAB").Configuration.NetworkAdapters[0].SwitchName);
        Assert.Null(_vms.DisconnectNetworkAdapter("web", "Network Adapter").Configuration.NetworkAdapters[0].SwitchName);
    }

    [Fact]
    public void EnsureBridge_Makes_A_Bridge_Lost_To_A_Reboot_Again_From_The_Record()
    {
        VirtualSwitchInfo lab = New("lab", VirtualSwitchType.Private);
        _host.Links.Remove(lab.Switch.BridgeName);
        Assert.False(_switches.GetSwitch("lab").BridgeExists);

        Assert.Equal(lab.Switch.BridgeName, _switches.EnsureBridge("LAB"));

        Assert.True(Bridge(lab).Ipv6Disabled);
        Assert.True(_switches.GetSwitch("lab").BridgeExists);
        Assert.Equal(lab.Switch.BridgeName, _switches.EnsureBridge("lab"));
    }

    [Fact]
    public void AttachInterface_Makes_A_Tap_A_Port_Without_Host_Addresses()
    {
        VirtualSwitchInfo lab = New("lab", VirtualSwitchType.Internal);
        _host.Links["hntap0"] = new FakeHostNetwork.Link { Name = "hntap0", Kind = "tun" };

        _switches.AttachInterface("lab", "hntap0");

        FakeHostNetwork.Link tap = _host.Links["hntap0"];
        Assert.Equal((lab.Switch.BridgeName, true, true), (tap.Master, tap.IsUp, tap.Ipv6Disabled));
        Assert.Equal("The interface 'nosuch' does not exist on this host.",
            Assert.Throws<VmValidationException>(() => _switches.AttachInterface("lab", "nosuch")).Message);
    }

    [Fact]
    public void Set_Changes_The_Type_Between_Internal_And_Private_And_Makes_A_Switch_External_With_A_Nic()
    {
        FakeHostNetwork.Link nic = _host.AddNic("eth9");
        VirtualSwitchInfo lab = New("lab", VirtualSwitchType.Internal);
        Bridge(lab).Addresses.Add("10.0.0.1/24");

        VirtualSwitchInfo privateLab = _switches.SetSwitch("lab", new SwitchChanges { SwitchType = VirtualSwitchType.Private, Notes = "isolated" });
        Assert.Equal((VirtualSwitchType.Private, false, "isolated"), (privateLab.Switch.SwitchType, privateLab.Switch.AllowManagementOS, privateLab.Switch.Notes));
        Assert.Empty(Bridge(lab).Addresses);
        Assert.True(Bridge(lab).Ipv6Disabled);

        VirtualSwitchInfo external = _switches.SetSwitch("lab", new SwitchChanges { NetAdapterName = "eth9" });
        Assert.Equal((VirtualSwitchType.External, true), (external.Switch.SwitchType, external.Switch.AllowManagementOS));
        Assert.Equal(["192.0.2.10/24"], Bridge(lab).Addresses);
        Assert.False(Bridge(lab).Ipv6Disabled);

        _switches.SetSwitch("lab", new SwitchChanges { SwitchType = VirtualSwitchType.Internal });
        Assert.Null(nic.Master);
        Assert.Equal(["192.0.2.10/24"], nic.Addresses);
        Assert.Equal((VirtualSwitchType.Internal, null), (_switches.GetSwitch("lab").Switch.SwitchType, _switches.GetSwitch("lab").Switch.NetAdapterName));
    }

    [Fact]
    public void Set_Refuses_What_Hyper_V_Refuses()
    {
        New("lab", VirtualSwitchType.Internal);

        Assert.Contains("not by -SwitchType", Assert.Throws<VmValidationException>(
            () => _switches.SetSwitch("lab", new SwitchChanges { SwitchType = VirtualSwitchType.External })).Message);
        Assert.Contains("External switches only", Assert.Throws<VmValidationException>(
            () => _switches.SetSwitch("lab", new SwitchChanges { AllowManagementOS = false })).Message);
        Assert.Equal("HyperNest was unable to find a virtual switch with name \"nope\".",
            Assert.Throws<VirtualSwitchNotFoundException>(() => _switches.SetSwitch("nope", new SwitchChanges { Notes = "x" })).Message);
    }

    [Fact]
    public void Turning_AllowManagementOS_Off_Takes_The_Addresses_Off_The_Bridge_And_On_Gives_Them_Back()
    {
        FakeHostNetwork.Link nic = _host.AddNic("eth9");
        VirtualSwitchInfo uplink = New("uplink", VirtualSwitchType.External, "eth9");

        _switches.SetSwitch("uplink", new SwitchChanges { AllowManagementOS = false });
        Assert.Empty(Bridge(uplink).Addresses);
        Assert.Empty(nic.Addresses);
        Assert.Equal(Bridge(uplink).Name, nic.Master);

        _switches.SetSwitch("uplink", new SwitchChanges { AllowManagementOS = true });
        Assert.Equal(["192.0.2.10/24"], Bridge(uplink).Addresses);
        Assert.Empty(nic.Addresses);
    }
}
