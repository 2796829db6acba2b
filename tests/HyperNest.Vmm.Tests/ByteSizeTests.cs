namespace HyperNest.Vmm.Tests;

public sealed class ByteSizeTests
{
    [Theory]
    [InlineData("512M", 512UL << 20)]
    [InlineData("1G", 1UL << 30)]
    [InlineData("1.5G", 3UL << 29)]
    [InlineData("1.5GiB", 3UL << 29)]
    [InlineData("2048", 2048UL << 20)]
    [InlineData("64K", 64UL << 10)]
    [InlineData("64kb", 64UL << 10)]
    [InlineData("4096B", 4096UL)]
    [InlineData("2T", 2UL << 40)]
    [InlineData(" 256MiB ", 256UL << 20)]
    public void Sizes_Parse_With_Binary_Units_And_MiB_Without_A_Unit(string text, ulong expected)
    {
        Assert.True(ByteSize.TryParse(text, out ulong bytes));
        Assert.Equal(expected, bytes);
    }

    [Theory]
    [InlineData("12Q")]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("-1")]
    [InlineData("G")]
    [InlineData("1..5G")]
    [InlineData("1 G")]
    [InlineData("18446744073709551616B")] // 2^64
    [InlineData("17592186044416M")] // 2^64 bytes
    [InlineData("16777216T")] // 2^64 bytes
    [InlineData("99999999999999999999999999999999999G")] // beyond decimal
    public void Malformed_Or_Overflowing_Sizes_Are_Refused(string text)
    {
        Assert.False(ByteSize.TryParse(text, out ulong bytes));
        Assert.Equal(0UL, bytes);
    }

    [Fact]
    public void The_Largest_Size_That_Fits_Is_Accepted()
    {
        Assert.True(ByteSize.TryParse("18446744073709551615B", out ulong bytes));
        Assert.Equal(ulong.MaxValue, bytes);
        Assert.True(ByteSize.TryParse("17592186044415M", out bytes));
        Assert.Equal(ulong.MaxValue - ((1UL << 20) - 1), bytes);
    }

    [Theory]
    [InlineData(2UL << 30, "2 GiB")]
    [InlineData(1536UL << 20, "1536 MiB")]
    [InlineData(64UL << 20, "64 MiB")]
    public void Format_Uses_GiB_When_Whole_And_MiB_Otherwise(ulong bytes, string expected)
    {
        Assert.Equal(expected, ByteSize.Format(bytes));
    }
}
