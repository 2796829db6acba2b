namespace HyperNest.Vmm;

/// <summary>Why a VM stopped running. <c>hnest run</c> turns each into a documented exit code.</summary>
public enum VmStopReason
{
    /// <summary>The guest powered off (ACPI S5) — a clean end.</summary>
    PowerOff,

    /// <summary>The guest asked for a reset (i8042 0xFE, reboot=k, or a KVM reset event).</summary>
    Reboot,

    /// <summary>A vCPU triple-faulted (KVM_EXIT_SHUTDOWN).</summary>
    TripleFault,

    /// <summary>KVM could not run the guest (entry failure, internal emulation error, guest crash event).</summary>
    Crash,

    /// <summary>Stopped from outside (a power cut requested by the host).</summary>
    Stopped,
}
