namespace HyperNest.Management.Nested;

/// <summary>
/// Why nested virtualization is impossible (or risky) on a host, a VM, or the emulated host: stable names for scripts.
/// </summary>
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

    /// <summary>A VM: ExposeVirtualizationExtensions is off.</summary>
    ExtensionsNotExposed,

    /// <summary>A VM: Dynamic Memory is on (a VM that exposes extensions cannot start).</summary>
    DynamicMemoryEnabled,

    /// <summary>A VM: an adapter has MAC address spoofing off, so nested guests get no network (a warning).</summary>
    MacSpoofingOff,

    /// <summary>A VM: fewer than 2 vCPUs for a VM that hosts VMs (a warning).</summary>
    TooFewProcessors,

    /// <summary>A VM: it has saved state, which must be removed before the processor can change.</summary>
    SavedStatePresent,

    /// <summary>A VM: the host cannot expose virtualization extensions at all.</summary>
    HostUnsupported,

    /// <summary>The emulated host: qemu-system-x86_64 is not on PATH (Debian package qemu-system-x86).</summary>
    QemuMissing,

    /// <summary>The emulated host: /bin/busybox does not exist (Debian package busybox-static).</summary>
    BusyboxMissing,

    /// <summary>The emulated host: /bin/busybox is not a static executable (the emulated host has no libraries).</summary>
    BusyboxNotStatic,

    /// <summary>
    /// The emulated host: no local kernel with kvm_amd, so linux-image-cloud-amd64 will be fetched with
    /// <c>apt-get download</c> (a warning: it needs a reachable Debian mirror).
    /// </summary>
    GuestKernelWillBeFetched,

    /// <summary>The emulated host: no local kernel with kvm_amd and no apt-get to fetch one.</summary>
    GuestKernelUnavailable,

    /// <summary>The emulated host: software CPU emulation, roughly 10x slower than hardware KVM (a warning).</summary>
    EmulationIsSlow,
}
