using HyperNest.Vmm.Memory;

namespace HyperNest.Vmm.Tests.Memory;

public sealed class GuestMemoryDiscardTests : IDisposable
{
    private const ulong MiB = MemoryLayout.MiB, GiB = MemoryLayout.GiB;

    private static readonly ulong Page = (ulong)Environment.SystemPageSize;

    /// <summary>RAM at 0–3 GiB and 4–5 GiB (lazily backed: costs what is touched).</summary>
    private readonly GuestMemory _memory = new(4 * GiB);

    public void Dispose() => _memory.Dispose();

    [Fact]
    public void Discarded_Pages_Read_As_Zero_And_Their_Neighbours_Keep_Their_Bytes()
    {
        ulong at = 16 * MiB;
        _memory.GetSpan(at - Page, (int)(4 * Page)).Fill(0xA5);

        _memory.Discard(at, 2 * Page);

        Assert.True(_memory.GetSpan(at, (int)(2 * Page)).IndexOfAnyExcept((byte)0) < 0);
        Assert.True(_memory.GetSpan(at - Page, (int)Page).IndexOfAnyExcept((byte)0xA5) < 0);
        Assert.True(_memory.GetSpan(at + (2 * Page), (int)Page).IndexOfAnyExcept((byte)0xA5) < 0);
    }

    [Fact]
    public void High_Ram_Can_Be_Discarded()
    {
        _memory.Write(4 * GiB, 0x1234_5678u);

        _memory.Discard(4 * GiB, Page);

        Assert.Equal(0u, _memory.Read<uint>(4 * GiB));
    }

    public static TheoryData<ulong, ulong> NotWhollyRam => new()
    {
        { 3 * GiB, 0x1000 }, // the MMIO hole
        { (3 * GiB) - 0x1000, 0x2000 }, // straddles the end of low RAM
        { (4 * GiB) - 0x1000, 0x2000 }, // straddles the start of high RAM
        { 5 * GiB, 0x1000 }, // past the end
        { ulong.MaxValue - 0xFFF, 0x2000 }, // wraps around
    };

    [Theory]
    [MemberData(nameof(NotWhollyRam))]
    public void Refuses_A_Range_That_Is_Not_Wholly_Ram_And_Discards_Nothing(ulong address, ulong length)
    {
        ulong lastLowPage = (3 * GiB) - Page;
        _memory.Write(lastLowPage, 0xA5A5_A5A5u);

        Assert.Throws<GuestMemoryException>(() => _memory.Discard(address, length));
        Assert.Equal(0xA5A5_A5A5u, _memory.Read<uint>(lastLowPage));
    }

    [Theory]
    [InlineData(0x10_0001UL, 0x1000UL)]
    [InlineData(0x10_0000UL, 0x800UL)]
    [InlineData(0x10_0000UL, 0UL)]
    public void Refuses_A_Range_That_Is_Not_Whole_Host_Pages(ulong address, ulong length)
    {
        Assert.Throws<ArgumentException>(() => _memory.Discard(address, length));
    }
}
