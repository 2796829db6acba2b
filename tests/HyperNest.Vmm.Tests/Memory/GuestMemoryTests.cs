using HyperNest.Vmm.Memory;

namespace HyperNest.Vmm.Tests.Memory;

public sealed class GuestMemoryTests : IDisposable
{
    private const ulong MiB = MemoryLayout.MiB, GiB = MemoryLayout.GiB;

    private readonly GuestMemory _small = new(64 * MiB);

    /// <summary>RAM at 0–3 GiB and 4–6 GiB, with the MMIO hole between (lazily backed: costs what is touched).</summary>
    private readonly GuestMemory _large = new(5 * GiB);

    public static TheoryData<ulong, int> OutsideLargeGuestRam => new()
    {
        { 3 * GiB, 1 }, // first byte of the hole
        { (3 * GiB) - 4, 8 }, // straddles the end of low RAM
        { 0xFEE0_0000, 4 }, // the LAPIC
        { (4 * GiB) - 4, 8 }, // straddles the start of high RAM
        { 6 * GiB, 1 }, // just past the end
        { (6 * GiB) - 4, 8 }, // straddles the end
        { ulong.MaxValue, 1 },
        { ulong.MaxValue - 3, 8 }, // address + length wraps around
    };

    public void Dispose()
    {
        _small.Dispose();
        _large.Dispose();
    }

    [Theory]
    [InlineData(0UL)]
    [InlineData(1UL)]
    [InlineData(4095UL)]
    public void Size_Must_Be_A_Non_Zero_Multiple_Of_The_Page_Size(ulong size)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new GuestMemory(size));
    }

    [Fact]
    public void Typed_Write_Then_Read_Round_Trips()
    {
        _small.Write(0x1234UL, 0x0102_0304_0506_0708UL);

        Assert.Equal(0x0102_0304_0506_0708UL, _small.Read<ulong>(0x1234));
        Assert.Equal(0x08, _small.Read<byte>(0x1234));
        Assert.Equal(0x0102_0304u, _small.Read<uint>(0x1238));
    }

    [Fact]
    public void Span_Write_Then_Read_Round_Trips()
    {
        byte[] data = [.. Enumerable.Range(0, 300).Select(i => (byte)i)];
        var back = new byte[300];

        _small.Write(0x10_0000, data);
        _small.Read(0x10_0000, back);

        Assert.Equal(data, back);
    }

    [Fact]
    public void Fresh_Memory_Reads_As_Zero()
    {
        Assert.Equal(0UL, _large.Read<ulong>((5 * GiB) + 8));
    }

    [Fact]
    public void The_Last_Byte_Is_Accessible_And_A_Range_Straddling_The_End_Is_Not()
    {
        ulong end = 64 * MiB;

        _small.Write(end - 1, (byte)0x5A);

        Assert.Equal(0x5A, _small.GetSpan(end - 1, 1)[0]);
        var error = Assert.Throws<GuestMemoryException>(() => _small.GetSpan(end - 1, 2));
        Assert.Equal((end - 1, 2UL), (error.Address, error.Length));
        Assert.Throws<GuestMemoryException>(() => _small.Read<uint>(end - 2));
        Assert.Throws<GuestMemoryException>(() => _small.Write(end, (byte)1));
    }

    [Fact]
    public void A_Write_Straddling_The_End_Changes_Nothing()
    {
        ulong end = 64 * MiB;

        Assert.Throws<GuestMemoryException>(() => _small.Write(end - 4, ulong.MaxValue));

        Assert.Equal(0u, _small.Read<uint>(end - 4));
    }

    [Fact]
    public void Negative_Length_Is_Refused()
    {
        Assert.Throws<GuestMemoryException>(() => _small.GetSpan(0, -1));
        Assert.False(_small.TryGetSpan(0, int.MinValue, out _));
    }

    [Theory]
    [InlineData(ulong.MaxValue, 1)]
    [InlineData(ulong.MaxValue - 3, 8)]
    [InlineData(64UL << 20, int.MaxValue)]
    [InlineData(0UL, int.MaxValue)]
    public void Ranges_Past_The_End_Or_Wrapping_Around_Are_Refused(ulong address, int length)
    {
        Assert.False(_small.TryGetSpan(address, length, out Span<byte> span));
        Assert.True(span.IsEmpty);
        Assert.False(_small.IsValid(address, (ulong)length));
        Assert.False(_small.IsValid(address, ulong.MaxValue));
    }

    [Theory]
    [MemberData(nameof(OutsideLargeGuestRam))]
    public void Ranges_In_The_Mmio_Hole_Or_Across_Its_Edges_Are_Refused(ulong address, int length)
    {
        Assert.False(_large.IsValid(address, (ulong)length));
        Assert.Throws<GuestMemoryException>(() => _large.GetSpan(address, length));
    }

    [Theory]
    [InlineData(0UL)]
    [InlineData((3UL << 30) - 8)]
    [InlineData(4UL << 30)]
    [InlineData((6UL << 30) - 8)]
    public void Ram_On_Both_Sides_Of_The_Hole_Is_Accessible(ulong address)
    {
        _large.Write(address, 0xDEAD_BEEF_CAFE_F00DUL);

        Assert.Equal(0xDEAD_BEEF_CAFE_F00DUL, _large.Read<ulong>(address));
    }

    [Fact]
    public void High_Ram_Does_Not_Alias_Low_Ram()
    {
        _large.Write(4 * GiB, 0x1111_1111_1111_1111UL);

        Assert.Equal(0UL, _large.Read<ulong>(0));
        Assert.Equal(0UL, _large.Read<ulong>((3 * GiB) - 8));
        Assert.Equal(_large.HostAddressOf(_large.Regions[0]) + (3 * GiB), _large.HostAddressOf(_large.Regions[1]));
    }

    [Fact]
    public void Regions_Follow_The_Memory_Layout()
    {
        Assert.Equal(MemoryLayout.RegionsFor(5 * GiB), _large.Regions);
        Assert.Equal(5 * GiB, _large.Size);
    }
}
