using HyperNest.Management;
using HyperNest.Worker.Network;

namespace HyperNest.Worker.Tests.Network;

/// <summary>hnest run --nic: SWITCH[,mac=MAC][,spoofing=on|off][,name=NAME] or bridge=BRIDGE[,...].</summary>
public sealed class NicSpecTests
{
    [Fact]
    public void A_bare_name_is_a_virtual_switch_with_a_dynamic_address_and_spoofing_off()
    {
        Assert.Equal(new NicSpec("Lab", null, null, false, null), NicSpec.Parse("Lab"));
    }

    [Fact]
    public void Options_follow_the_switch_in_any_order()
    {
        NicSpec nic = NicSpec.Parse("Lab,spoofing=on,mac=00:15:5d:0a:1b:2c,name=uplink");

        Assert.Equal("Lab", nic.SwitchName);
        Assert.Equal("00155D0A1B2C", nic.MacAddress);
        Assert.True(nic.MacAddressSpoofing);
        Assert.Equal("uplink", nic.Name);
    }

    [Fact]
    public void The_name_comes_last_and_keeps_its_commas()
    {
        NicSpec nic = NicSpec.Parse("Lab,spoofing=on,name=uplink, rack 3");

        Assert.Equal("uplink, rack 3", nic.Name);
        Assert.True(nic.MacAddressSpoofing);
    }

    [Fact]
    public void Bridge_names_an_existing_linux_bridge_instead_of_a_switch()
    {
        NicSpec nic = NicSpec.Parse("bridge=virbr0,spoofing=off");

        Assert.Null(nic.SwitchName);
        Assert.Equal("virbr0", nic.Bridge);
        Assert.False(nic.MacAddressSpoofing);
    }

    [Theory]
    [InlineData("", "the switch name is empty")]
    [InlineData("Lab,mac=01:00:5e:00:00:01", "not a valid static MAC address")]
    [InlineData("Lab,spoofing=maybe", "spoofing=maybe: expected on or off")]
    [InlineData("Lab,vlan=3", "unknown option 'vlan=3'")]
    [InlineData("bridge=a-name-longer-than-15", "is not a Linux interface name")]
    [InlineData("mac=00155D0A1B2C", "start with a virtual switch's name or bridge=BRIDGE")]
    [InlineData("Lab,bridge=br0", "unknown option 'bridge=br0'")]
    public void Bad_values_are_one_line_naming_the_part(string text, string expected)
    {
        var error = Assert.Throws<VmValidationException>(() => NicSpec.Parse(text));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }
}
