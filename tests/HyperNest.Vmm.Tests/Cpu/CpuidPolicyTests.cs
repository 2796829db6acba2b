using HyperNest.Kvm;
using HyperNest.Vmm.Cpu;

namespace HyperNest.Vmm.Tests.Cpu;

public sealed class CpuidPolicyTests
{
    private const uint Indexed = KvmCpuidEntry2.FlagSignificantIndex;
    private const uint Vmx = 1u << 5, Svm = 1u << 2, Htt = 1u << 28, Hypervisor = 1u << 31;

    /// <summary>What KVM_GET_SUPPORTED_CPUID might say on an Intel host: VMX offered, topology leaves 4 and 0xB.</summary>
    private static readonly CpuidTable Intel = new(
    [
        new(0x0, 0, 0, 0x1F, 0x756E_6547, 0x6C65_746E, 0x4965_6E69),
        new(0x1, 0, 0, 0x000906EA, 0x0710_0800, 0x7FFA_FBFF | Vmx, 0xBFEB_FBFF),
        new(0x4, 0, Indexed, 0x1C00_4121, 0x01C0_003F, 0x3F, 0), // L1d, level 1
        new(0x4, 3, Indexed, 0x1C03_C163, 0x02C0_003F, 0x2FFF, 6), // L3, level 3
        new(0xB, 0, Indexed, 1, 2, 0x100, 7),
        new(0xB, 1, Indexed, 4, 12, 0x201, 7),
        new(0xB, 2, Indexed, 0, 0, 2, 7),
        new(0x8000_0000, 0, 0, 0x8000_0008, 0, 0, 0),
        new(0x8000_0001, 0, 0, 0, 0, 0x121, 0x2C10_0800),
        new(0x8000_0008, 0, 0, 0x3027, 0, 0, 0),
    ]);

    /// <summary>An AMD host: SVM in 0x80000001 ECX, its feature leaf 0x8000000A, core count in 0x80000008.</summary>
    private static readonly CpuidTable Amd = new(
    [
        new(0x0, 0, 0, 0x10, 0x6874_7541, 0x444D_4163, 0x6974_6E65),
        new(0x1, 0, 0, 0x00A50F00, 0x0B10_0800, 0x7ED8_320B, 0x178B_FBFF & ~Htt),
        new(0x8000_0000, 0, 0, 0x8000_0021, 0, 0, 0),
        new(0x8000_0001, 0, 0, 0x00A50F00, 0, 0x75C2_37FF | Svm, 0x2FD3_FBFF),
        new(0x8000_0008, 0, 0, 0x3030, 0, 0x7007, 0),
        new(0x8000_000A, 0, 0, 1, 0x8000, 0, 0x1FFF_BFFF),
    ]);

    public static TheoryData<uint, int> Topologies => new() { { 0, 1 }, { 0, 2 }, { 3, 4 }, { 5, 6 }, { 63, 64 }, { 254, 255 } };

    [Theory]
    [MemberData(nameof(Topologies))]
    public void Leaf1_Ebx_Carries_The_Apic_Id_And_The_Logical_Processor_Count(uint apicId, int vcpus)
    {
        KvmCpuidEntry2 leaf = Leaf(ForVcpu(Intel, apicId, vcpus), 0x1);

        Assert.Equal(apicId, leaf.Ebx >> 24);
        Assert.Equal((uint)vcpus, (leaf.Ebx >> 16) & 0xFF);
        Assert.Equal(0x0800u, leaf.Ebx & 0xFFFF); // CLFLUSH size and brand index are kept
    }

    [Fact]
    public void Htt_Is_Set_For_More_Than_One_Vcpu_And_Cleared_For_One()
    {
        Assert.Equal(0u, Leaf(ForVcpu(Intel, 0, 1), 0x1).Edx & Htt);
        Assert.Equal(Htt, Leaf(ForVcpu(Amd, 1, 2), 0x1).Edx & Htt);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Hypervisor_Bit_Is_Always_Set(bool expose)
    {
        Assert.Equal(Hypervisor, Leaf(ForVcpu(Intel, 0, 1, expose), 0x1).Ecx & Hypervisor);
        Assert.Equal(Hypervisor, Leaf(ForVcpu(Amd, 0, 1, expose), 0x1).Ecx & Hypervisor);
    }

    [Fact]
    public void Vmx_Is_Stripped_When_Not_Exposed()
    {
        CpuidTable table = ForVcpu(Intel, 0, 1, expose: false);

        Assert.Equal(0u, Leaf(table, 0x1).Ecx & Vmx);
        Assert.False(CpuidPolicy.OffersVirtualizationExtensions(table));
    }

    [Fact]
    public void Vmx_Is_Kept_When_Exposed()
    {
        Assert.Equal(Vmx, Leaf(ForVcpu(Intel, 0, 1, expose: true), 0x1).Ecx & Vmx);
    }

    [Fact]
    public void Svm_And_Its_Feature_Leaf_Are_Removed_When_Not_Exposed()
    {
        CpuidTable table = ForVcpu(Amd, 0, 1, expose: false);

        Assert.Equal(0u, Leaf(table, 0x8000_0001).Ecx & Svm);
        Assert.Null(table.Find(0x8000_000A));
        Assert.Equal(Amd.Count - 1, table.Count);
        Assert.False(CpuidPolicy.OffersVirtualizationExtensions(table));
    }

    [Fact]
    public void Svm_And_Its_Feature_Leaf_Are_Kept_When_Exposed()
    {
        CpuidTable table = ForVcpu(Amd, 0, 1, expose: true);

        Assert.Equal(Svm, Leaf(table, 0x8000_0001).Ecx & Svm);
        Assert.Equal(Amd.Find(0x8000_000A), table.Find(0x8000_000A));
    }

    [Fact]
    public void Other_Feature_Bits_Survive_Stripping()
    {
        Assert.Equal((0x7FFA_FBFFu & ~Vmx) | Hypervisor, Leaf(ForVcpu(Intel, 0, 1), 0x1).Ecx);
        Assert.Equal(0x75C2_37FFu & ~Svm, Leaf(ForVcpu(Amd, 0, 1), 0x8000_0001).Ecx);
    }

    [Fact]
    public void Leaves_Without_Topology_Or_Features_Are_Copied_Unchanged()
    {
        CpuidTable table = ForVcpu(Intel, 2, 4);

        Assert.Equal(Intel.Find(0x0), table.Find(0x0));
        Assert.Equal(Intel.Find(0x8000_0000), table.Find(0x8000_0000));
        Assert.Equal(Intel.Find(0x8000_0001), table.Find(0x8000_0001));
    }

    [Fact]
    public void The_Supported_Table_Is_Not_Changed()
    {
        KvmCpuidEntry2[] before = [.. Amd.Entries];

        ForVcpu(Amd, 7, 8);

        Assert.Equal(before, Amd.Entries);
    }

    [Theory]
    [MemberData(nameof(Topologies))]
    public void Leaf_0xB_Reports_The_X2Apic_Id_In_Every_Subleaf(uint apicId, int vcpus)
    {
        CpuidTable table = ForVcpu(Intel, apicId, vcpus);

        Assert.All([0u, 1u, 2u], subleaf => Assert.Equal(apicId, Leaf(table, 0xB, subleaf).Edx));
    }

    [Theory]
    [MemberData(nameof(Topologies))]
    public void Leaf_0xB_Describes_One_Thread_Per_Core_And_All_Vcpus_As_Cores_Of_One_Package(uint apicId, int vcpus)
    {
        CpuidTable table = ForVcpu(Intel, apicId, vcpus);

        KvmCpuidEntry2 smt = Leaf(table, 0xB, 0);
        Assert.Equal((0u, 1u, 1u), (smt.Eax, smt.Ebx, smt.Ecx >> 8));
        Assert.Equal(0u, smt.Ecx & 0xFF);

        KvmCpuidEntry2 core = Leaf(table, 0xB, 1);
        Assert.Equal((uint)vcpus, core.Ebx);
        Assert.Equal((2u, 1u), (core.Ecx >> 8, core.Ecx & 0xFF));
        Assert.True(1u << (int)core.Eax >= (uint)vcpus, $"an APIC id shift of {core.Eax} cannot number {vcpus} cores");
        Assert.True(core.Eax == 0 || 1u << (int)(core.Eax - 1) < (uint)vcpus, $"shift {core.Eax} is wider than needed");

        KvmCpuidEntry2 end = Leaf(table, 0xB, 2);
        Assert.Equal((0u, 0u, 0u), (end.Eax, end.Ebx, (end.Ecx >> 8) & 0xFF));
        Assert.Equal(2u, end.Ecx & 0xFF);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(64)]
    public void Leaf_4_Counts_The_Vcpus_As_Cores_Sharing_Only_The_Last_Level_Cache(int vcpus)
    {
        CpuidTable table = ForVcpu(Intel, 0, vcpus);

        KvmCpuidEntry2 l1 = Leaf(table, 0x4, 0), l3 = Leaf(table, 0x4, 3);
        Assert.Equal((uint)vcpus - 1, l1.Eax >> 26);
        Assert.Equal(0u, (l1.Eax >> 14) & 0xFFF);
        Assert.Equal((uint)vcpus - 1, (l3.Eax >> 14) & 0xFFF);
        Assert.Equal(0x121u, l1.Eax & 0x3FF); // cache type and level are kept
        Assert.Equal(0x163u, l3.Eax & 0x3FF);
    }

    [Theory]
    [InlineData(65)]
    [InlineData(128)]
    [InlineData(255)]
    public void Leaf_4_Core_Count_Saturates_At_Its_6_Bit_Field(int vcpus)
    {
        KvmCpuidEntry2 l1 = Leaf(ForVcpu(Intel, 0, vcpus), 0x4, 0);

        Assert.Equal(63u, l1.Eax >> 26);
        Assert.Equal(0x121u, l1.Eax & 0x3FFF);
    }

    [Theory]
    [MemberData(nameof(Topologies))]
    public void Amd_Leaf_0x80000008_Reports_The_Core_Count_And_Apic_Id_Size(uint apicId, int vcpus)
    {
        KvmCpuidEntry2 leaf = Leaf(ForVcpu(Amd, apicId, vcpus), 0x8000_0008);

        Assert.Equal((uint)vcpus - 1, leaf.Ecx & 0xFF);
        uint idSize = (leaf.Ecx >> 12) & 0xF;
        Assert.True(vcpus == 1 ? idSize == 0 : 1u << (int)idSize >= (uint)vcpus);
        Assert.Equal(0x3030u, leaf.Eax);
    }

    [Fact]
    public void Intel_And_Amd_Tables_Offer_Virtualization_Extensions()
    {
        Assert.True(CpuidPolicy.OffersVirtualizationExtensions(Intel));
        Assert.True(CpuidPolicy.OffersVirtualizationExtensions(Amd));
    }

    [Fact]
    public void A_Table_Without_Vmx_Or_Svm_Does_Not_Offer_Virtualization_Extensions()
    {
        var plain = new CpuidTable(
        [
            new(0x1, 0, 0, 0, 0, 0x7FFA_FBFF & ~Vmx, 0),
            new(0x8000_0001, 0, 0, 0, 0, 0x121 & ~Svm, 0),
        ]);

        Assert.False(CpuidPolicy.OffersVirtualizationExtensions(plain));
    }

    [Fact]
    public void A_Table_Missing_Leaf_1_Or_0x80000001_Does_Not_Offer_Virtualization_Extensions()
    {
        Assert.False(CpuidPolicy.OffersVirtualizationExtensions(new CpuidTable([])));
        Assert.False(CpuidPolicy.OffersVirtualizationExtensions(new CpuidTable([new(0x1, 0, 0, 0, 0, 0, 0)])));
        Assert.True(CpuidPolicy.OffersVirtualizationExtensions(new CpuidTable([new(0x8000_0001, 0, 0, 0, 0, Svm, 0)])));
    }

    private static CpuidTable ForVcpu(CpuidTable supported, uint apicId, int vcpus, bool expose = false) =>
        CpuidPolicy.ForVcpu(supported, apicId, vcpus, expose);

    private static KvmCpuidEntry2 Leaf(CpuidTable table, uint function, uint index = 0) =>
        table.Find(function, index) ?? throw new Xunit.Sdk.XunitException($"leaf 0x{function:x}.{index} is missing");
}
