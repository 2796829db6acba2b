namespace HyperNest.Management.Nested;

/// <summary>How this host's KVM runs guest kernel mode.</summary>
public enum GuestKernelMode
{
    /// <summary>No KVM vendor module is loaded: nothing runs.</summary>
    Unknown,

    /// <summary>kvm_intel / kvm_amd: VT-x or AMD-V runs guest kernel mode.</summary>
    Hardware,

    /// <summary>kvm_pvm: guest kernel mode is emulated (PVM), and VMX/SVM cannot be offered to guests.</summary>
    Emulated,
}
