using System.Numerics;
using HyperNest.Kvm;

namespace HyperNest.Vmm.Cpu;

/// <summary>
/// Turns KVM's supported CPUID into what one vCPU sees: its APIC id and the VM's topology (all vCPUs are cores of
/// one socket, one thread each), the hypervisor bit, and virtualization extensions (VMX, SVM and the SVM leaf
/// 0x8000000A) only when the VM exposes them. Leaf numbers and bits: Intel SDM vol. 2A "CPUID", AMD APM vol. 3.
/// </summary>
public static class CpuidPolicy
{
    public const uint Leaf1EcxVmx = 1u << 5;
    public const uint Leaf1EcxHypervisor = 1u << 31;
    public const uint Leaf1EdxHtt = 1u << 28;
    public const uint ExtLeaf1EcxSvm = 1u << 2;
    public const uint SvmFeatureLeaf = 0x8000000A;

    public static CpuidTable ForVcpu(CpuidTable supported, uint apicId, int vcpuCount, bool exposeVirtualizationExtensions)
    {
        uint count = (uint)vcpuCount;
        int coreBits = vcpuCount <= 1 ? 0 : BitOperations.Log2((uint)(vcpuCount - 1)) + 1;
        return supported.Select(entry =>
        {
            KvmCpuidEntry2 e = entry;
            switch (e.Function)
            {
                case 0x1:
                    e.Ebx = (e.Ebx & 0x0000FFFF) | (apicId << 24) | (Math.Min(count, 255) << 16);
                    e.Edx = count > 1 ? e.Edx | Leaf1EdxHtt : e.Edx & ~Leaf1EdxHtt;
                    e.Ecx |= Leaf1EcxHypervisor;
                    if (!exposeVirtualizationExtensions)
                    {
                        e.Ecx &= ~Leaf1EcxVmx;
                    }

                    break;
                case 0x4:
                    // Cores per package - 1 in EAX[31:26] (6 bits: saturates at 64); threads sharing this cache - 1
                    // in EAX[25:14].
                    e.Eax = (e.Eax & 0x3FF) | ((Math.Min(count, 64) - 1) << 26) |
                        (((e.Eax >> 5) & 0x7) <= 2 ? 0u : (count - 1) << 14);
                    break;
                case 0xB:
                case 0x1F:
                    ApplyExtendedTopology(ref e, apicId, count, coreBits);
                    break;
                case 0x80000001:
                    if (!exposeVirtualizationExtensions)
                    {
                        e.Ecx &= ~ExtLeaf1EcxSvm;
                    }

                    break;
                case 0x80000008:
                    // AMD: NC (cores - 1) and the APIC id size.
                    e.Ecx = (e.Ecx & ~0xF0FFu) | (count - 1) | ((uint)coreBits << 12);
                    break;
                case SvmFeatureLeaf when !exposeVirtualizationExtensions:
                    return null;
            }

            return e;
        });
    }

    /// <summary>True when the supported list offers VMX or SVM (the host can run nested guests in hardware).</summary>
    public static bool OffersVirtualizationExtensions(CpuidTable supported) =>
        ((supported.Find(0x1)?.Ecx ?? 0) & Leaf1EcxVmx) != 0 ||
        ((supported.Find(0x80000001)?.Ecx ?? 0) & ExtLeaf1EcxSvm) != 0;

    /// <summary>
    /// The engine's last line of defence: a VM that exposes virtualization extensions on a host whose KVM offers
    /// none is refused (front ends explain why first, from the host verdict).
    /// </summary>
    public static void EnsureExposable(CpuidTable supported, bool exposeVirtualizationExtensions)
    {
        if (exposeVirtualizationExtensions && !OffersVirtualizationExtensions(supported))
        {
            throw new VmBuildException(
                "cannot expose virtualization extensions: this host's KVM offers no VMX/SVM to guests " +
                "(see 'hnest nested status' for why)");
        }
    }

    private static void ApplyExtendedTopology(ref KvmCpuidEntry2 e, uint apicId, uint count, int coreBits)
    {
        e.Edx = apicId;
        switch (e.Index)
        {
            case 0: // SMT level: one thread per core.
                e.Eax = 0;
                e.Ebx = 1;
                e.Ecx = (1u << 8) | 0;
                break;
            case 1: // Core level.
                e.Eax = (uint)coreBits;
                e.Ebx = count;
                e.Ecx = (2u << 8) | 1;
                break;
            default: // Invalid level terminates the enumeration.
                e.Eax = 0;
                e.Ebx = 0;
                e.Ecx = e.Index;
                break;
        }
    }
}
