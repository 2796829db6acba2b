using HyperNest.Kvm;
namespace HyperNest.Management.Nested;

/// <summary>What an open /dev/kvm answers: its API version and KVM_GET_SUPPORTED_CPUID.</summary>
public sealed record KvmDeviceInfo(int ApiVersion, Kvm.CpuidTable SupportedCpuid)
{
    /// <summary>Opens the device and asks it; throws <see cref="Kvm.KvmException"/> when it cannot.</summary>
    public static KvmDeviceInfo Query(string devicePath)
    {
        using KvmSystem kvm = KvmSystem.Open(devicePath);
        return new KvmDeviceInfo(kvm.ApiVersion, kvm.GetSupportedCpuid());
    }
}
