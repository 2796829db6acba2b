namespace HyperNest.Kvm.Tests;

public sealed class CpuidTableTests
{
    private const uint Indexed = KvmCpuidEntry2.FlagSignificantIndex;

    private static readonly KvmCpuidEntry2 Leaf0 = new(0x0, 0, 0, 0xD, 1, 2, 3);
    private static readonly KvmCpuidEntry2 Leaf1 = new(0x1, 0, 0, 0x906EA, 0, 0x20, 0);
    private static readonly KvmCpuidEntry2 Leaf7 = new(0x7, 0, Indexed, 0, 0x29C67AF, 0, 0);
    private static readonly KvmCpuidEntry2 LeafB0 = new(0xB, 0, Indexed, 1, 2, 0x100, 0);
    private static readonly KvmCpuidEntry2 LeafB1 = new(0xB, 1, Indexed, 4, 8, 0x201, 0);

    private readonly CpuidTable _table = new([Leaf0, Leaf1, Leaf7, LeafB0, LeafB1]);

    [Fact]
    public void Find_Returns_The_Entry_For_A_Leaf()
    {
        Assert.Equal(Leaf1, _table.Find(0x1));
    }

    [Fact]
    public void Find_Ignores_The_Subleaf_Of_Entries_Not_Flagged_Index_Significant()
    {
        Assert.Equal(Leaf1, _table.Find(0x1, 5));
    }

    [Fact]
    public void Find_Matches_The_Subleaf_Of_Index_Significant_Entries()
    {
        Assert.Equal(LeafB0, _table.Find(0xB, 0));
        Assert.Equal(LeafB1, _table.Find(0xB, 1));
        Assert.Null(_table.Find(0xB, 2));
        Assert.Null(_table.Find(0x7, 1));
    }

    [Fact]
    public void Find_Returns_Null_For_A_Missing_Leaf()
    {
        Assert.Null(_table.Find(0x8000_0001));
    }

    [Fact]
    public void Select_Replaces_Each_Entry_And_Drops_Those_Mapped_To_Null()
    {
        CpuidTable edited = _table.Select(e => e.Function == 0xB ? null : e with { Eax = e.Eax + 1 });

        Assert.Equal([0x0u, 0x1u, 0x7u], edited.Entries.Select(e => e.Function));
        Assert.Equal(0xEu, edited.Find(0x0)!.Value.Eax);
        Assert.Equal(5, _table.Count);
    }

    [Fact]
    public void With_Replaces_The_Entry_Of_The_Same_Leaf_And_Subleaf_In_Place()
    {
        var replacement = new KvmCpuidEntry2(0xB, 1, Indexed, 9, 9, 9, 9);

        CpuidTable edited = _table.With(replacement);

        Assert.Equal([Leaf0, Leaf1, Leaf7, LeafB0, replacement], edited.Entries);
        Assert.Equal(LeafB1, _table.Find(0xB, 1));
    }

    [Fact]
    public void With_Appends_A_New_Leaf_Or_Subleaf()
    {
        var leafB2 = new KvmCpuidEntry2(0xB, 2, Indexed, 0, 0, 2, 0);
        var hypervisor = new KvmCpuidEntry2(0x4000_0000, 0, 0, 0x4000_0001, 0x4B4D564B, 0x564B4D56, 0x4D);

        CpuidTable edited = _table.With(leafB2).With(hypervisor);

        Assert.Equal(7, edited.Count);
        Assert.Equal(leafB2, edited.Find(0xB, 2));
        Assert.Equal(hypervisor, edited.Entries[^1]);
    }

    [Fact]
    public void Entries_Are_Equal_When_Their_Leaf_Flags_And_Registers_Are()
    {
        Assert.Equal(new KvmCpuidEntry2(0x1, 0, 0, 0x906EA, 0, 0x20, 0), Leaf1);
        Assert.NotEqual(Leaf1 with { Edx = 1 }, Leaf1);
        Assert.NotEqual(Leaf1 with { Flags = Indexed }, Leaf1);
    }
}
