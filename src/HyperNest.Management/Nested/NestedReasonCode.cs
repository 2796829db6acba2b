namespace HyperNest.Management.Nested;

/// <summary>Why nested virtualization is impossible (or risky) on a host: stable names for scripts.</summary>
public enum NestedReasonCode
{
    /// <summary>/dev/kvm does not exist.</summary>
    KvmDeviceMissing,

    /// <summary>/dev/kvm exists but cannot be opened or queried (permission, broken module).</summary>
    KvmDeviceInaccessible,

    /// <summary>KVM_GET_API_VERSION is not 12.</summary>
    KvmApiVersionUnsupported,

    /// <summary>The host's KVM is kvm_pvm: guest kernel mode is emulated, VMX/SVM cannot be exposed.</summary>
    PvmFlavour,

    /// <summary>The CPU flags show neither vmx nor svm, and nothing says the host is a VM.</summary>
    NoVirtualizationExtensions,

    /// <summary>The CPU flags show neither vmx nor svm and the hypervisor flag: a VM not given nested support.</summary>
    HostIsVmWithoutNested,

    /// <summary>kvm_intel / kvm_amd is loaded with nested=0.</summary>
    NestedParameterOff,

    /// <summary>KVM_GET_SUPPORTED_CPUID offers neither VMX nor SVM.</summary>
    SupportedCpuidLacksExtensions,

    /// <summary>Less than the guide's 4 GB is free (a warning).</summary>
    LowMemory,
}
