using HyperNest.Kvm;
using HyperNest.Management.Nested;

namespace HyperNest.Management.Accelerators;

/// <summary>Resolves <see cref="Accelerator.Auto"/> against this host, and words what stands in KVM's way.</summary>
public static class AcceleratorSelector
{
    /// <summary>
    /// The accelerator for a VM. Auto takes kvm when /dev/kvm opens and can run the guest — a PVM-flavoured KVM
    /// (kvm_pvm, guest kernel mode emulated) runs only tiny guests such as the built-in one, so a Linux guest goes to
    /// the emulated host there, and a VM that exposes virtualization extensions goes there when this host's KVM
    /// cannot expose them (the host's nested verdict is NO) — else emulated. <paramref name="kvmProblem"/> says what
    /// stops /dev/kvm (null: nothing); <paramref name="nestedProblem"/> why this host cannot nest (null: it can).
    /// </summary>
    public static AcceleratorChoice Choose(
        Accelerator requested, bool linuxGuest, bool nested = false,
        Func<string?>? kvmProblem = null, Func<KvmModuleKind>? module = null, Func<string?>? nestedProblem = null)
    {
        if (requested != Accelerator.Auto)
        {
            return new AcceleratorChoice(requested, null);
        }

        string? problem = (kvmProblem ?? KvmProblem)();
        if (problem is not null)
        {
            return new AcceleratorChoice(Accelerator.Emulated, problem);
        }

        if (linuxGuest && (module ?? (() => KvmModule.Detect()))() == KvmModuleKind.Pvm)
        {
            return new AcceleratorChoice(Accelerator.Emulated, "this host's KVM is the PVM flavour (kvm_pvm), which runs Linux guests only with kernel mode emulated");
        }

        if (nested && (nestedProblem ?? NestedProblem)() is { } cannotNest)
        {
            return new AcceleratorChoice(Accelerator.Emulated, $"this host's KVM cannot expose virtualization extensions ({cannotNest})");
        }

        return new AcceleratorChoice(Accelerator.Kvm, $"{KvmSystem.DevicePath} opens");
    }

    /// <summary>The first reason this host cannot expose virtualization extensions, or null when it can.</summary>
    public static string? NestedProblem() => NestedHostVerdict.Evaluate().FirstBlockingReason()?.Message;

    /// <summary>Why this host's /dev/kvm cannot be used, or null when it opens.</summary>
    public static string? KvmProblem()
    {
        try
        {
            using KvmSystem kvm = KvmSystem.Open();
            return null;
        }
        catch (KvmException e)
        {
            return Describe(e);
        }
    }

    /// <summary>
    /// A failure to open /dev/kvm in the user's words; any other failed call (a store's lock file, a log) as it is,
    /// naming its own path.
    /// </summary>
    public static string Describe(KvmException e) => e switch
    {
        _ when e.Call != $"open {KvmSystem.DevicePath}" => e.UserMessage(),
        { Errno: Errno.ENOENT } => $"{KvmSystem.DevicePath} does not exist: this host has no KVM (load kvm_intel or kvm_amd)",
        { Errno: Errno.EACCES or Errno.EPERM } => $"no permission to open {KvmSystem.DevicePath}: run as root or join the 'kvm' group",
        _ => e.UserMessage(),
    };
}
