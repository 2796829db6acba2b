namespace HyperNest.Management.Nested;

/// <summary>
/// Everything <c>hnest nested status</c> and Get-NestedVirtStatus say about the host: the native verdict (can this
/// host's KVM expose virtualization extensions), the emulated accelerator's verdict (can VMs, nested guests included,
/// run on an emulated host), and what <c>--accel auto</c> picks here.
/// </summary>
public sealed record NestedHostStatus(NestedHostVerdict Host, EmulatedHostVerdict Emulated, AutoAccelerator AutoAccelerator)
{
    public static NestedHostStatus Evaluate(HostEnvironment? environment = null)
    {
        HostEnvironment host = environment ?? HostEnvironment.Real;
        return For(NestedHostVerdict.Evaluate(host), EmulatedHostVerdict.Evaluate(host));
    }

    public static NestedHostStatus For(NestedHostVerdict host, EmulatedHostVerdict emulated) =>
        new(host, emulated, ChooseAuto(host.Facts, emulated));

    /// <summary>
    /// For a Linux guest, as AcceleratorSelector decides at start: kvm when /dev/kvm exists and opens and is not the
    /// PVM flavour (which runs only tiny guests such as the built-in one), else emulated when the emulated host can
    /// start, else kvm if a PVM /dev/kvm opens, else none.
    /// </summary>
    public static AutoAccelerator ChooseAuto(HostFacts host, EmulatedHostVerdict emulated)
    {
        bool kvmOpens = host.KvmDevicePresent && host.KvmDeviceAccessible;
        return kvmOpens && !host.IsPvmDevice ? AutoAccelerator.Kvm
            : emulated.Supported ? AutoAccelerator.Emulated
            : kvmOpens ? AutoAccelerator.Kvm
            : AutoAccelerator.None;
    }
}
