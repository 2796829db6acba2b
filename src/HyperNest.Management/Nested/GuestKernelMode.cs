namespace HyperNest.Management.Nested;

/// <summary>How this host's KVM device runs guest kernel mode.</summary>
public enum GuestKernelMode
{
    /// <summary>No KVM device, or no KVM vendor module behind it: nothing runs on KVM.</summary>
    Unknown,

    /// <summary>kvm_intel / kvm_amd: VT-x or AMD-V runs guest kernel mode.</summary>
    Hardware,

    /// <summary>A /dev/kvm of the kvm_pvm flavour: guest kernel mode is emulated (PVM), and VMX/SVM cannot be offered to guests.</summary>
    Emulated,
}
