using HyperNest.Vmm.Boot;
using HyperNest.Vmm.Memory;

namespace HyperNest.Vmm.Tests.Boot;

public sealed class E820MapTests
{
    private const ulong MiB = MemoryLayout.MiB, GiB = MemoryLayout.GiB;

    /// <summary>What the map leaves out below 1 MiB: the EBDA (reserved) up to the end of the BIOS area.</summary>
    private const ulong LowHoles = 0x100000 - 0x9FC00;

    public static TheoryData<ulong> GuestSizes => [64 * MiB, 3 * GiB, 4 * GiB, 5 * GiB];

    [Fact]
    public void Map_Of_A_64MiB_Guest()
    {
        Assert.Equal(
            [
                new E820Entry(0, 0x9FC00, E820Type.Ram),
                new E820Entry(0x9FC00, 0x400, E820Type.Reserved),
                new E820Entry(0xE0000, 0x20000, E820Type.Reserved),
                new E820Entry(MiB, 63 * MiB, E820Type.Ram),
            ],
            MapFor(64 * MiB));
    }

    [Fact]
    public void Map_Of_A_5GiB_Guest_Puts_RAM_Beyond_3GiB_At_4GiB()
    {
        IReadOnlyList<E820Entry> map = MapFor(5 * GiB);

        Assert.Equal(new E820Entry(MiB, (3 * GiB) - MiB, E820Type.Ram), map[^2]);
        Assert.Equal(new E820Entry(4 * GiB, 2 * GiB, E820Type.Ram), map[^1]);
    }

    [Theory]
    [MemberData(nameof(GuestSizes))]
    public void Ram_Below_The_Ebda_And_From_1MiB_With_Ebda_And_Bios_Area_Reserved(ulong size)
    {
        IReadOnlyList<E820Entry> map = MapFor(size);

        Assert.Contains(new E820Entry(0, 0x9FC00, E820Type.Ram), map);
        Assert.Contains(new E820Entry(0x9FC00, 0xA0000 - 0x9FC00, E820Type.Reserved), map);
        Assert.Contains(new E820Entry(0xE0000, 0x100000 - 0xE0000, E820Type.Reserved), map);
        Assert.Contains(map, e => e.Address == MiB && e.Type == E820Type.Ram);
    }

    [Theory]
    [MemberData(nameof(GuestSizes))]
    public void Entries_Do_Not_Overlap(ulong size)
    {
        E820Entry[] sorted = [.. MapFor(size).OrderBy(e => e.Address)];

        for (int i = 1; i < sorted.Length; i++)
        {
            Assert.True(sorted[i - 1].Address + sorted[i - 1].Size <= sorted[i].Address, $"{sorted[i - 1]} overlaps {sorted[i]}");
        }

        Assert.All(sorted, e => Assert.NotEqual(0UL, e.Size));
    }

    [Theory]
    [MemberData(nameof(GuestSizes))]
    public void Total_Ram_Is_The_Guest_Size_Less_The_Holes_Below_1MiB(ulong size)
    {
        ulong ram = MapFor(size).Where(e => e.Type == E820Type.Ram).Aggregate(0UL, (sum, e) => sum + e.Size);

        Assert.Equal(size - LowHoles, ram);
    }

    [Theory]
    [MemberData(nameof(GuestSizes))]
    public void No_Ram_In_The_Mmio_Hole_Between_3_And_4GiB(ulong size)
    {
        Assert.DoesNotContain(MapFor(size), e => e.Type == E820Type.Ram && e.Address < 4 * GiB && e.Address + e.Size > 3 * GiB);
    }

    private static IReadOnlyList<E820Entry> MapFor(ulong size) => E820Map.For(MemoryLayout.RegionsFor(size));
}
