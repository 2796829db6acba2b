namespace HyperNest.Management.Nested;

/// <summary>
/// Everything <c>hnest nested status</c> and Get-NestedVirtStatus say about the host: the native verdict (can this
/// host's KVM expose virtualization extensions), the emulated accelerator's verdict (can VMs, nested guests included,
/// run on an emulated host), and what <c>--accel auto</c> picks here.
/// </summary>
public sealed record NestedHostStatus(NestedHostVerdict Host, EmulatedHostVerdict Emulated, AcceleratorChoice AutoAccelerator)
{
    public static NestedHostStatus Evaluate(HostEnvironment? environment = null)
    {
        HostEnvironment host = environment ?? HostEnvironment.Real;
        return For(NestedHostVerdict.Evaluate(host), EmulatedHostVerdict.Evaluate(host));
    }

    public static NestedHostStatus For(NestedHostVerdict host, EmulatedHostVerdict emulated) =>
        new(host, emulated, ChooseAuto(host.Facts, emulated));

    /// <summary>kvm when /dev/kvm exists and opens, else emulated when the emulated host can start, else none.</summary>
    public static AcceleratorChoice ChooseAuto(HostFacts host, EmulatedHostVerdict emulated) =>
        host.KvmDevicePresent && host.KvmDeviceAccessible ? AcceleratorChoice.Kvm
        : emulated.Supported ? AcceleratorChoice.Emulated
        : AcceleratorChoice.None;
}
