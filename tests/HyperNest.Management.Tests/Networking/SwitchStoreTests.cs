using HyperNest.Management.Networking;

namespace HyperNest.Management.Tests.Networking;

public sealed class SwitchStoreTests : IDisposable
{
    private readonly TempStore _temp = new();
    private readonly SwitchStore _switches;

    public SwitchStoreTests()
    {
        _switches = new SwitchStore(_temp.Store);
    }

    public void Dispose() => _temp.Dispose();

    private static VirtualSwitch Record(string name) => new()
    {
        Id = Guid.NewGuid(), Name = name, SwitchType = VirtualSwitchType.Private, BridgeName = "hnbr-00000000",
    };

    [Fact]
    public void A_Record_Round_Trips_With_Its_Schema_Version_And_Is_Found_By_Name_Or_Id()
    {
        VirtualSwitch lab = Record("Lab") with
        {
            SwitchType = VirtualSwitchType.External,
            NetAdapterName = "eth1",
            NetAdapterIpConfiguration = new IpConfiguration { Addresses = ["192.0.2.10/24"], Routes = [new IpRoute { Destination = "default", Gateway = "192.0.2.1" }] },
        };
        _switches.Save(lab);

        VirtualSwitch read = _switches.Find("lab")!;
        Assert.Equal(lab.Name, read.Name);
        Assert.Equal(lab.NetAdapterIpConfiguration.Addresses, read.NetAdapterIpConfiguration!.Addresses);
        Assert.Equal(lab.NetAdapterIpConfiguration.Routes, read.NetAdapterIpConfiguration.Routes);
        Assert.Equal(lab.Id, _switches.Find(lab.Id.ToString())!.Id);
        Assert.Contains("\"schemaVersion\": 1", File.ReadAllText(Path.Combine(_switches.SwitchesDirectory, $"{lab.Id}.json")));
        Assert.Contains("\"switchType\": \"External\"", File.ReadAllText(Path.Combine(_switches.SwitchesDirectory, $"{lab.Id}.json")));
    }

    [Fact]
    public void Records_From_A_Newer_HyperNest_Or_Corrupt_Are_Problems_And_Temporary_Files_Are_Skipped()
    {
        _switches.Save(Record("good"));
        var newer = Guid.NewGuid();
        var corrupt = Guid.NewGuid();
        File.WriteAllText(Path.Combine(_switches.SwitchesDirectory, $"{newer}.json"), $$"""{"schemaVersion": 99, "id": "{{newer}}", "name": "x"}""");
        File.WriteAllText(Path.Combine(_switches.SwitchesDirectory, $"{corrupt}.json"), "{");
        File.WriteAllText(Path.Combine(_switches.SwitchesDirectory, $".tmp-{Guid.NewGuid()}.json-abc"), "{");

        SwitchListing listing = _switches.List();

        Assert.Equal("good", Assert.Single(listing.Switches).Name);
        Assert.Equal(2, listing.Problems.Count);
        Assert.Contains(listing.Problems, p => p.Id == newer && p.Message.Contains("newer HyperNest (schema 99)", StringComparison.Ordinal));
        Assert.Contains(listing.Problems, p => p.Id == corrupt && p.Message.Contains("is corrupt", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("CapEff:\t000001fffeffffff", true)]
    [InlineData("CapEff:\t0000000000000000", false)]
    [InlineData("CapEff:\t0000000000001000", true)]
    [InlineData("CapEff:\t0000000000000fff", false)]
    public void CAP_NET_ADMIN_Is_Bit_12_Of_The_Effective_Set(string line, bool expected) =>
        Assert.Equal(expected, NetAdminCapability.IsEffective(["Name:\thnest", line]));

    [Theory]
    [InlineData("eth0", true)]
    [InlineData("hnbr-0123abcd", true)]
    [InlineData("0123456789abcdef", false)]
    [InlineData("../etc", false)]
    [InlineData("a b", false)]
    [InlineData("", false)]
    public void Interface_Names_Are_What_Linux_Accepts(string name, bool valid) => Assert.Equal(valid, IpRoute2Network.IsInterfaceName(name));
}
