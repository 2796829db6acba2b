using System.Text;
using HyperNest.Management.Model;
using HyperNest.Management.Store;

namespace HyperNest.Management.Tests.Store;

/// <summary>host.json edited by hand is held to Set-VMHost's rules when read: a range new adapters cannot draw from is refused.</summary>
public sealed class HostSettingsDocumentTests
{
    [Theory]
    [InlineData("\"00155D0000FF\"", "\"00155D000000\"", "is empty")]
    [InlineData("\"nonsense\"", "\"00155D000000\"", "is not a valid MAC address")]
    [InlineData("\"00155D000000\"", "\"01155D000000\"", "is not a valid static MAC address")]
    [InlineData("\"00155D000000\"", "\"02155D000000\"", "spans multicast addresses")]
    [InlineData("\"00155d000000\"", "\"00155D0000FF\"", "is not in Hyper-V's form")]
    public void Parse_Refuses_A_Mac_Range_Outside_Set_VMHosts_Rules_As_Corrupt(string minimum, string maximum, string why)
    {
        byte[] json = Encoding.UTF8.GetBytes($$"""{"schemaVersion":1,"macAddressMinimum":{{minimum}},"macAddressMaximum":{{maximum}}}""");

        var e = Assert.Throws<VmStoreException>(() => HostSettingsDocument.Parse(json, "/store/host.json"));

        Assert.StartsWith("the host settings /store/host.json are corrupt: ", e.Message);
        Assert.Contains(why, e.Message);
    }

    [Theory]
    [InlineData("""{"schemaVersion":1}""")]
    [InlineData("""{"schemaVersion":1,"macAddressMinimum":null,"macAddressMaximum":null}""")]
    public void Parse_Gives_A_Range_Left_Out_Or_Null_Its_Default(string json)
    {
        HostSettings settings = HostSettingsDocument.Parse(Encoding.UTF8.GetBytes(json), "/store/host.json");

        Assert.Equal((HostSettings.DefaultMacAddressMinimum, HostSettings.DefaultMacAddressMaximum), (settings.MacAddressMinimum, settings.MacAddressMaximum));
    }

    [Fact]
    public void Parse_Refuses_Host_Settings_That_Are_Not_UTF8_As_Corrupt()
    {
        byte[] json = """{"schemaVersion":1,"virtualHardDiskPath":"/srv/xx"}"""u8.ToArray();
        json[^3] = 0xEE;

        var e = Assert.Throws<VmStoreException>(() => HostSettingsDocument.Parse(json, "/store/host.json"));

        Assert.Equal("the host settings /store/host.json are corrupt: they are not UTF-8 text", e.Message);
    }

    [Fact]
    public void Parse_Reads_A_Range_New_Adapters_Draw_From()
    {
        byte[] json = """{"schemaVersion":1,"macAddressMinimum":"00155D000010","macAddressMaximum":"00155D000010"}"""u8.ToArray();

        HostSettings settings = HostSettingsDocument.Parse(json, "/store/host.json");

        Assert.Equal("00155D000010", MacAddressPool.Of(settings).NewDynamic(new HashSet<string>()));
    }
}
