using HyperNest.Management.Model;

namespace HyperNest.Management.Tests.Model;

public sealed class MacAddressPoolTests
{
    [Fact]
    public void Every_Address_Drawn_Is_In_The_Range_Unicast_And_Unused()
    {
        MacAddressPool pool = MacAddressPool.Parse("00:15:5D:02:06:00", "00155D0206FF");
        var used = new HashSet<string>();

        for (int i = 0; i < 256; i++)
        {
            string mac = pool.NewDynamic(used);
            Assert.InRange(Convert.ToUInt64(mac, 16), 0x00155D020600UL, 0x00155D0206FFUL);
            Assert.True(used.Add(mac), $"{mac} was drawn twice");
        }

        Assert.Throws<VmOperationException>(() => pool.NewDynamic(used));
    }

    [Fact]
    public void A_Range_Whose_Ends_Differ_In_The_First_Byte_Is_Refused_As_It_Spans_Multicast_Addresses() =>
        Assert.Equal("The MAC address range 00FFFFFFFFFE-02000000000F spans multicast addresses: give both ends the same first byte.",
            Assert.Throws<VmValidationException>(() => MacAddressPool.Parse("00FFFFFFFFFE", "02000000000F")).Message);

    [Fact]
    public void The_Default_Range_Is_Hyper_Vs_Prefix()
    {
        Assert.Equal(("00155D000000", "00155DFFFFFF"), (MacAddressPool.Default.Minimum, MacAddressPool.Default.Maximum));
        Assert.StartsWith("00155D", MacAddress.NewDynamic(new HashSet<string>()));
    }
}
