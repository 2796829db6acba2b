using System.Text.Json.Nodes;
using HyperNest.Management.Model;
using HyperNest.Management.Store;

namespace HyperNest.Management.Tests.Store;

/// <summary>
/// config.json as a user or another tool may leave it: it loads into a configuration that keeps the store's rules, or
/// is refused as corrupt in one line naming the VM and the rule, never handed on to fail later.
/// </summary>
public sealed class ConfigDocumentTests
{
    private static readonly Guid Id = new("0f0f0f0f-1111-2222-3333-444444444444");

    [Theory]
    [InlineData("\"processorCount\":0", "its processor count is 0; it must be at least 1")]
    [InlineData("\"processorCount\":-3", "its processor count is -3; it must be at least 1")]
    [InlineData("\"automaticStartDelay\":-1", "its automatic start delay is -1 seconds")]
    [InlineData("\"accelerator\":7", "accelerator 7 is none HyperNest knows")]
    [InlineData("\"automaticStopAction\":9", "stop action 9 is none HyperNest knows")]
    [InlineData("\"memory\":{\"startupBytes\":1}", "invalid startup memory amount (1 bytes)")]
    [InlineData("\"boot\":{\"initrdPath\":\"/i\"}", "it has an initrd but no kernel")]
    [InlineData("\"networkAdapters\":[null]", "its network adapter is missing")]
    [InlineData("\"networkAdapters\":[{\"name\":\"n\",\"macAddress\":\"00\"}]", "'00' is not a valid MAC address")]
    [InlineData("\"networkAdapters\":[{\"name\":\"n\",\"macAddress\":\"00:15:5d:0a:1b:2c\"}]", "is not in Hyper-V's form")]
    [InlineData("\"hardDrives\":[{\"path\":null}]", "a hard drive has no path")]
    [InlineData("\"hardDrives\":[null]", "a hard drive has no path")]
    public void Deserialize_Refuses_A_Config_That_Breaks_The_Stores_Rules_As_Corrupt(string member, string why)
    {
        var e = Assert.Throws<VmStoreException>(() => ConfigDocument.Deserialize(Saved(member), Id));

        Assert.StartsWith($"config of VM 'web' ({Id}) is corrupt: ", e.Message);
        Assert.Contains(why, e.Message);
    }

    [Theory]
    [InlineData("null")]
    [InlineData("\"we\\u0007b\"")]
    [InlineData("\" web\"")]
    public void Deserialize_Refuses_A_Config_Whose_Name_Is_No_VM_Name_As_Corrupt(string name)
    {
        var e = Assert.Throws<VmStoreException>(() => ConfigDocument.Deserialize(Saved($"\"name\":{name}"), Id));

        Assert.Contains(" is corrupt: ", e.Message);
    }

    /// <summary>
    /// A refusal quotes what the file holds (the VM's name, a MAC address): whatever that is, the refusal stays one line
    /// of printable text, control characters shown as '?'. Found by the config-json fuzz target (a name holding "\n").
    /// </summary>
    [Theory]
    [InlineData("\"name\":\"we\\nb\",\"processorCount\":0", "config of VM 'we?b' (")]
    [InlineData("\"networkAdapters\":[{\"name\":\"n\",\"macAddress\":\"00\\r\\n15\\u001b[2J\"}]", "15?[2J' is not a valid MAC address")]
    public void A_Refusal_Quoting_The_File_Stays_One_Printable_Line(string member, string shown)
    {
        var e = Assert.Throws<VmStoreException>(() => ConfigDocument.Deserialize(Saved(member), Id));

        Assert.Contains(shown, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(e.Message, char.IsControl);
    }

    [Theory]
    [InlineData("\"1\"")]
    [InlineData("1.5")]
    [InlineData("null")]
    [InlineData("[1]")]
    public void Deserialize_Refuses_A_Config_Whose_SchemaVersion_Is_Not_A_Whole_Number_As_Corrupt(string version)
    {
        var e = Assert.Throws<VmStoreException>(() => ConfigDocument.Deserialize(Saved($"\"schemaVersion\":{version}"), Id));

        Assert.Equal($"config of VM 'web' ({Id}) is corrupt: its schemaVersion is not a whole number", e.Message);
    }

    [Fact]
    public void Deserialize_Refuses_A_Config_That_Is_Not_UTF8_As_Corrupt()
    {
        byte[] json = Saved("\"name\":\"web\"");
        int name = System.Text.Encoding.UTF8.GetString(json).IndexOf("web", StringComparison.Ordinal);
        json[name + 1] = 0xEE;

        var e = Assert.Throws<VmStoreException>(() => ConfigDocument.Deserialize(json, Id));

        Assert.Equal($"config of VM {Id} is corrupt: it is not UTF-8 text", e.Message);
    }

    [Theory]
    [InlineData("memory")]
    [InlineData("networkAdapters")]
    [InlineData("hardDrives")]
    [InlineData("boot")]
    public void Deserialize_Gives_A_Member_Left_Out_Or_Null_Its_Default(string member)
    {
        JsonObject config = JsonNode.Parse(Saved("\"notes\":\"n\""))!.AsObject();
        config.Remove(member);
        byte[] without = System.Text.Encoding.UTF8.GetBytes(config.ToJsonString());
        config[member] = null;
        byte[] withNull = System.Text.Encoding.UTF8.GetBytes(config.ToJsonString());

        byte[] expected = ConfigDocument.Serialize(new VmConfiguration { Id = Id, Name = "web", Notes = "n" });
        Assert.Equal(expected, ConfigDocument.Serialize(ConfigDocument.Deserialize(without, Id)));
        Assert.Equal(expected, ConfigDocument.Serialize(ConfigDocument.Deserialize(withNull, Id)));
    }

    [Fact]
    public void Deserialize_Reads_Back_What_Serialize_Wrote()
    {
        var config = new VmConfiguration
        {
            Id = Id, Name = "web", ProcessorCount = 2,
            NetworkAdapters = [new VmNetworkAdapter { Name = "Network Adapter", MacAddress = "00155D0A1B2C" }],
            HardDrives = [new VmHardDiskDrive { Path = "/d.qcow2" }],
        };

        VmConfiguration read = ConfigDocument.Deserialize(ConfigDocument.Serialize(config), Id);

        Assert.Equal(ConfigDocument.Serialize(config), ConfigDocument.Serialize(read));
    }

    /// <summary>A config as HyperNest saves it, with one member (<c>"name":value</c>) as an edit left it.</summary>
    private static byte[] Saved(string member)
    {
        JsonObject config = JsonNode.Parse(ConfigDocument.Serialize(new VmConfiguration { Id = Id, Name = "web" }))!.AsObject();
        foreach ((string name, JsonNode? value) in JsonNode.Parse($"{{{member}}}")!.AsObject())
        {
            config[name] = value?.DeepClone();
        }

        return System.Text.Encoding.UTF8.GetBytes(config.ToJsonString());
    }
}
