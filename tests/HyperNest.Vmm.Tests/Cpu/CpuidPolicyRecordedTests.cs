using HyperNest.Kvm;
using HyperNest.Vmm.Cpu;

namespace HyperNest.Vmm.Tests.Cpu;

/// <summary>
/// The CPUID policy against what real hosts' KVM supports (<see cref="RecordedCpuid"/>) and a documented Intel table:
/// with ExposeVirtualizationExtensions the guest gets VMX (Intel) or SVM and leaf 0x8000000A (AMD); without, neither;
/// a PVM host offers neither, so a VM that asks is refused.
/// </summary>
public sealed class CpuidPolicyRecordedTests
{
    private const uint Vmx = CpuidPolicy.Leaf1EcxVmx, Svm = CpuidPolicy.ExtLeaf1EcxSvm;

    private static readonly (string KvmModule, CpuidTable Table) Pvm = RecordedCpuid.Load(RecordedCpuid.Pvm);
    private static readonly (string KvmModule, CpuidTable Table) LabAmd = RecordedCpuid.Load(RecordedCpuid.LabAmd);

    public static TheoryData<int> VcpuCounts => new() { 1, 2, 4 };

    [Fact]
    public void The_Recordings_Are_What_They_Claim()
    {
        Assert.Equal("kvm_pvm", Pvm.KvmModule);
        Assert.Equal("kvm_amd", LabAmd.KvmModule);
        Assert.Equal("AuthenticAMD", Vendor(LabAmd.Table));
        Assert.Equal("GenuineIntel", Vendor(IntelVmxTable.Supported));
    }

    [Theory]
    [MemberData(nameof(VcpuCounts))]
    public void Lab_Amd_With_Exposure_Gives_Every_Vcpu_Svm_And_The_Svm_Feature_Leaf(int vcpus)
    {
        Assert.True(CpuidPolicy.OffersVirtualizationExtensions(LabAmd.Table));
        for (uint id = 0; id < vcpus; id++)
        {
            CpuidTable guest = CpuidPolicy.ForVcpu(LabAmd.Table, id, vcpus, exposeVirtualizationExtensions: true);

            Assert.Equal(Svm, Leaf(guest, 0x8000_0001).Ecx & Svm);
            Assert.Equal(LabAmd.Table.Find(CpuidPolicy.SvmFeatureLeaf), guest.Find(CpuidPolicy.SvmFeatureLeaf));
            Assert.Equal(0u, Leaf(guest, 0x1).Ecx & Vmx);
        }
    }

    [Fact]
    public void Lab_Amd_Svm_Feature_Leaf_Reports_A_Revision_And_Address_Space_Ids()
    {
        KvmCpuidEntry2 svmLeaf = Leaf(LabAmd.Table, CpuidPolicy.SvmFeatureLeaf);

        // AMD APM vol. 3, CPUID Fn8000_000A: EAX[7:0] SVM revision, EBX number of ASIDs. QEMU's TCG (qemu64,+svm)
        // does not offer nested paging (EDX bit 0): the lab's second level runs on shadow page tables.
        Assert.Equal(1u, svmLeaf.Eax & 0xFF);
        Assert.NotEqual(0u, svmLeaf.Ebx);
        Assert.Equal(0u, svmLeaf.Edx & 1);
    }

    [Fact]
    public void Lab_Amd_Without_Exposure_Gives_Neither_Svm_Nor_Its_Leaf()
    {
        CpuidTable guest = CpuidPolicy.ForVcpu(LabAmd.Table, 0, 2, exposeVirtualizationExtensions: false);

        Assert.Equal(0u, Leaf(guest, 0x8000_0001).Ecx & Svm);
        Assert.Null(guest.Find(CpuidPolicy.SvmFeatureLeaf));
        Assert.False(CpuidPolicy.OffersVirtualizationExtensions(guest));
    }

    [Fact]
    public void Intel_With_Exposure_Gives_Vmx_And_No_Svm()
    {
        CpuidTable guest = CpuidPolicy.ForVcpu(IntelVmxTable.Supported, 0, 2, exposeVirtualizationExtensions: true);

        Assert.Equal(Vmx, Leaf(guest, 0x1).Ecx & Vmx);
        Assert.Equal(0u, Leaf(guest, 0x8000_0001).Ecx & Svm);
        Assert.Null(guest.Find(CpuidPolicy.SvmFeatureLeaf));
    }

    [Fact]
    public void Intel_Without_Exposure_Gives_No_Vmx()
    {
        CpuidTable guest = CpuidPolicy.ForVcpu(IntelVmxTable.Supported, 0, 2, exposeVirtualizationExtensions: false);

        Assert.Equal(0u, Leaf(guest, 0x1).Ecx & Vmx);
        Assert.False(CpuidPolicy.OffersVirtualizationExtensions(guest));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Pvm_Offers_Neither_So_No_Guest_Gets_Vmx_Or_Svm(bool expose)
    {
        Assert.False(CpuidPolicy.OffersVirtualizationExtensions(Pvm.Table));

        CpuidTable guest = CpuidPolicy.ForVcpu(Pvm.Table, 0, 1, expose);

        Assert.Equal(0u, Leaf(guest, 0x1).Ecx & Vmx);
        Assert.Equal(0u, (guest.Find(0x8000_0001)?.Ecx ?? 0) & Svm);
        // KVM on PVM lists leaf 0x8000000A all zero: kept when exposing, it reports no SVM feature either.
        KvmCpuidEntry2? svmLeaf = guest.Find(CpuidPolicy.SvmFeatureLeaf);
        Assert.True(svmLeaf is null || svmLeaf.Value is { Eax: 0, Ebx: 0, Ecx: 0, Edx: 0 }, $"leaf 0x8000000A: {svmLeaf}");
    }

    [Fact]
    public void Pvm_Refuses_A_Vm_That_Exposes_Virtualization_Extensions()
    {
        var refusal = Assert.Throws<VmBuildException>(() => CpuidPolicy.EnsureExposable(Pvm.Table, exposeVirtualizationExtensions: true));

        Assert.Contains("offers no VMX/SVM", refusal.Message);
        Assert.Null(Record.Exception(() => CpuidPolicy.EnsureExposable(Pvm.Table, exposeVirtualizationExtensions: false)));
    }

    [Fact]
    public void Hosts_That_Offer_Extensions_Accept_A_Vm_That_Exposes_Them()
    {
        Assert.Null(Record.Exception(() => CpuidPolicy.EnsureExposable(LabAmd.Table, exposeVirtualizationExtensions: true)));
        Assert.Null(Record.Exception(() => CpuidPolicy.EnsureExposable(IntelVmxTable.Supported, exposeVirtualizationExtensions: true)));
    }

    private static string Vendor(CpuidTable table)
    {
        KvmCpuidEntry2 leaf0 = Leaf(table, 0x0);
        return string.Concat(new[] { leaf0.Ebx, leaf0.Edx, leaf0.Ecx }.Select(r => System.Text.Encoding.ASCII.GetString(BitConverter.GetBytes(r))));
    }

    private static KvmCpuidEntry2 Leaf(CpuidTable table, uint function, uint index = 0) =>
        table.Find(function, index) ?? throw new Xunit.Sdk.XunitException($"leaf 0x{function:x}.{index} is missing");
}
