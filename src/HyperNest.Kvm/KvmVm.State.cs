namespace HyperNest.Kvm;

/// <summary>The VM-wide facts a vCPU's saved state depends on (capabilities asked of the VM fd, the MSR list).</summary>
public sealed partial class KvmVm
{
    /// <summary>The fixed region of struct kvm_xsave (api.rst §4.42): 1024 × u32.</summary>
    public const int LegacyXsaveSize = 4096;

    private uint[]? _msrIndexList;

    /// <summary>
    /// KVM_CHECK_EXTENSION on the VM fd (api.rst §4.4, KVM_CAP_CHECK_EXTENSION_VM): 0 when unsupported, otherwise
    /// a capability-specific value. "Different VMs may have different capabilities", so VM-level questions are
    /// asked here rather than of /dev/kvm.
    /// </summary>
    public int CheckExtension(KvmCapability capability) =>
        Math.Max(0, Interop.Ioctl(Fd, KvmIoctl.CheckExtension, (nuint)capability));

    /// <summary>
    /// Bytes of a vCPU's XSAVE image: KVM_CHECK_EXTENSION(KVM_CAP_XSAVE2) on the VM fd, at least 4096 (api.rst §4.43),
    /// or 4096 where the kernel predates KVM_CAP_XSAVE2.
    /// </summary>
    public int XsaveSize => Math.Max(LegacyXsaveSize, CheckExtension(KvmCapability.Xsave2));

    /// <summary>Whether KVM_GET_XSAVE2 exists (KVM_CAP_XSAVE2 reported).</summary>
    public bool HasXsave2 => CheckExtension(KvmCapability.Xsave2) > 0;

    /// <summary>
    /// The largest kvm_nested_state KVM may return (api.rst §4.114: KVM_CHECK_EXTENSION(KVM_CAP_NESTED_STATE)); 0
    /// when the host cannot save nested state (no nested VMX/SVM, or a KVM without it, such as PVM).
    /// </summary>
    public int NestedStateMaxSize => CheckExtension(KvmCapability.NestedState);

    /// <summary>KVM_GET_MSR_INDEX_LIST of the /dev/kvm this VM came from, asked once (the list never changes).</summary>
    public IReadOnlyList<uint> MsrIndexList => _msrIndexList ??= _system.GetMsrIndexList();
}
