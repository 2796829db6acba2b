using HyperNest.Management.Model;

namespace HyperNest.Management.Tests.Model;

public sealed class NetworkAdapterRulesTests
{
    private static readonly VmNetworkAdapter Adapter = new() { Name = "Network Adapter", MacAddress = "00155D000001" };
    private static readonly HashSet<string> NoneUsed = [];

    [Fact]
    public void Static_And_Dynamic_Together_Are_Refused() =>
        Assert.Equal("The network adapter cannot use both a static and dynamic MAC address.",
            Assert.Throws<VmValidationException>(() => NetworkAdapterRules.Apply(Adapter, new NetworkAdapterChanges { StaticMacAddress = "02:00:00:00:00:01", DynamicMacAddress = true }, NoneUsed)).Message);

    [Fact]
    public void Static_Address_Is_Normalised_And_Marks_The_Adapter_Static()
    {
        VmNetworkAdapter next = NetworkAdapterRules.Apply(Adapter, new NetworkAdapterChanges { StaticMacAddress = "02:ab:cd:00:00:01" }, NoneUsed);

        Assert.Equal("02ABCD000001", next.MacAddress);
        Assert.False(next.DynamicMacAddressEnabled);
    }

    [Fact]
    public void Static_Address_Used_Elsewhere_On_The_Host_Is_Refused() =>
        Assert.Contains("already in use",
            Assert.Throws<VmValidationException>(() => NetworkAdapterRules.Apply(Adapter, new NetworkAdapterChanges { StaticMacAddress = "02ABCD000001" }, new HashSet<string> { "02ABCD000001" })).Message);

    [Theory]
    [InlineData("01:00:5e:00:00:01")]
    [InlineData("000000000000")]
    [InlineData("nonsense")]
    public void Multicast_Zero_Or_Malformed_Addresses_Are_Refused(string mac) =>
        Assert.Throws<VmValidationException>(() => MacAddress.Normalize(mac));

    [Fact]
    public void Dynamic_Addresses_Come_From_The_Prefix_And_Avoid_Used_Ones()
    {
        var used = new HashSet<string>();
        for (int i = 0; i < 2000; i++)
        {
            string mac = MacAddress.NewDynamic(used);
            Assert.StartsWith(MacAddress.DynamicPrefix, mac);
            Assert.True(used.Add(mac));
        }
    }

    [Fact]
    public void Spoofing_And_Switch_Are_Set_And_Disconnect_Clears_The_Switch()
    {
        VmNetworkAdapter on = NetworkAdapterRules.Apply(Adapter, new NetworkAdapterChanges { MacAddressSpoofing = true, SwitchName = "lab" }, NoneUsed);
        VmNetworkAdapter off = NetworkAdapterRules.Apply(on, new NetworkAdapterChanges { Disconnect = true }, NoneUsed);

        Assert.True(on.MacAddressSpoofing);
        Assert.Equal("lab", on.SwitchName);
        Assert.Null(off.SwitchName);
        Assert.True(off.MacAddressSpoofing);
    }
}
