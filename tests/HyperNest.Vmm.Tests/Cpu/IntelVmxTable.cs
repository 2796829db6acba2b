using HyperNest.Kvm;

namespace HyperNest.Vmm.Tests.Cpu;

/// <summary>
/// What KVM_GET_SUPPORTED_CPUID returns on an Intel host with kvm_intel nested=1, built from documented values
/// (no Intel host was at hand to record): vendor "GenuineIntel" in leaf 0, VMX in leaf 1 ECX bit 5 (Intel SDM vol. 2A,
/// CPUID, Table 3-10 "Feature Information Returned in the ECX Register"), no SVM in leaf 0x80000001 and no leaf
/// 0x8000000A (AMD-only). Register values are a Skylake client's (family 6 model 0x5E) as KVM passes them on.
/// </summary>
public static class IntelVmxTable
{
    public const uint Leaf1EcxVmx = 1u << 5;

    public static CpuidTable Supported { get; } = new(
    [
        new(0x0, 0, 0, 0x16, 0x756E_6547, 0x6C65_746E, 0x4965_6E69), // "GenuineIntel"
        new(0x1, 0, 0, 0x0005_06E3, 0x0010_0800, 0xF7FA_3223 | Leaf1EcxVmx, 0x0F8B_FBFF),
        new(0x4, 0, KvmCpuidEntry2.FlagSignificantIndex, 0x1C00_4121, 0x01C0_003F, 0x3F, 0),
        new(0x7, 0, KvmCpuidEntry2.FlagSignificantIndex, 0, 0x029C_6FBF, 0x4000_0000, 0xBC00_0400),
        new(0xB, 0, KvmCpuidEntry2.FlagSignificantIndex, 0, 0, 0x100, 0),
        new(0xB, 1, KvmCpuidEntry2.FlagSignificantIndex, 0, 0, 0x201, 0),
        new(0x8000_0000, 0, 0, 0x8000_0008, 0, 0, 0),
        new(0x8000_0001, 0, 0, 0, 0, 0x0000_0121, 0x2C10_0800), // LAHF, ABM, PREFETCHW; no SVM (bit 2)
        new(0x8000_0008, 0, 0, 0x0000_3027, 0, 0, 0),
    ]);
}
