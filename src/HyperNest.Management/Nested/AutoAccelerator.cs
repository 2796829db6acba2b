namespace HyperNest.Management.Nested;

/// <summary>What <c>--accel auto</c> runs VMs on: this host's KVM, the emulated host, or nothing.</summary>
public enum AutoAccelerator
{
    /// <summary>No usable /dev/kvm and the emulated host cannot start: no VM can run.</summary>
    None,

    /// <summary>/dev/kvm exists and opens.</summary>
    Kvm,

    /// <summary>No usable /dev/kvm: QEMU's TCG emulates an AMD host whose own KVM runs the VM.</summary>
    Emulated,
}

public static class AutoAcceleratorNames
{
    /// <summary>The name <c>--accel</c> takes and scripts see: "kvm", "emulated" or "none".</summary>
    public static string OptionValue(this AutoAccelerator choice) => choice switch
    {
        AutoAccelerator.Kvm => "kvm",
        AutoAccelerator.Emulated => "emulated",
        _ => "none",
    };
}
