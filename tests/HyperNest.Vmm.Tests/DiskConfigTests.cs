using HyperNest.Vmm.Disks;

namespace HyperNest.Vmm.Tests;

public sealed class DiskConfigTests
{
    [Fact]
    public void A_Bare_Path_Is_A_Writable_Disk_Without_Serial()
    {
        Assert.Equal(new DiskConfig("/var/lib/hnest/root.img", false, null), DiskConfig.Parse("/var/lib/hnest/root.img"));
    }

    [Theory]
    [InlineData("disk.img,readonly")]
    [InlineData("disk.img,ro")]
    public void Readonly_Option_Makes_The_Disk_Read_Only(string text)
    {
        Assert.Equal(new DiskConfig("disk.img", ReadOnly: true), DiskConfig.Parse(text));
    }

    [Fact]
    public void Serial_Option_Sets_The_Serial()
    {
        Assert.Equal(new DiskConfig("disk.img", Serial: "ROOT-01"), DiskConfig.Parse("disk.img,serial=ROOT-01"));
    }

    [Theory]
    [InlineData("disk.img,readonly,serial=abc")]
    [InlineData("disk.img,serial=abc,readonly")]
    public void Options_Combine_In_Any_Order(string text)
    {
        Assert.Equal(new DiskConfig("disk.img", true, "abc"), DiskConfig.Parse(text));
    }

    [Theory]
    [InlineData("disk.img,cache=none", "cache=none")]
    [InlineData("disk.img,readonly,rw", "rw")]
    [InlineData("disk.img,serial=", "serial=")]
    [InlineData("disk.img,", "")]
    public void Unknown_Option_Is_Refused_Naming_It(string text, string option)
    {
        var error = Assert.Throws<ArgumentException>(() => DiskConfig.Parse(text));

        Assert.Contains($"unknown option '{option}'", error.Message, StringComparison.Ordinal);
        Assert.Contains(text, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData(",readonly")]
    public void Empty_Path_Is_Refused(string text)
    {
        var error = Assert.Throws<ArgumentException>(() => DiskConfig.Parse(text));

        Assert.Contains("no path", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("disk.img,format=qcow2", DiskFormat.Qcow2)]
    [InlineData("disk.qcow2,format=raw", DiskFormat.Raw)]
    [InlineData("disk.qcow2,readonly,format=raw,serial=x", DiskFormat.Raw)]
    public void Format_Option_Sets_The_Format(string text, DiskFormat format)
    {
        DiskConfig disk = DiskConfig.Parse(text);

        Assert.Equal(format, disk.Format);
        Assert.Equal(format, disk.EffectiveFormat);
    }

    [Theory]
    [InlineData("disk.qcow2", DiskFormat.Qcow2)]
    [InlineData("disk.img", DiskFormat.Raw)]
    public void Without_A_Format_Option_The_File_Name_Decides(string text, DiskFormat format)
    {
        DiskConfig disk = DiskConfig.Parse(text);

        Assert.Null(disk.Format);
        Assert.Equal(format, disk.EffectiveFormat);
    }

    [Theory]
    [InlineData("disk.img,format=vmdk", "vmdk")]
    [InlineData("disk.img,format=", "")]
    [InlineData("disk.img,format=QCOW2", "QCOW2")]
    public void Unknown_Format_Is_Refused_Naming_It(string text, string format)
    {
        var error = Assert.Throws<ArgumentException>(() => DiskConfig.Parse(text));

        Assert.Equal($"disk '{text}': unknown format '{format}' (expected raw or qcow2)", error.Message);
    }
}
