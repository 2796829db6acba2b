namespace HyperNest.Management.Nested;

/// <summary>
/// Can the emulated accelerator run VMs here, nested guests included? YES or NO with every reason and its fix,
/// decided from <see cref="EmulatedHostFacts"/>, next to the native <see cref="NestedHostVerdict"/>. Blocking
/// reasons in the order the emulated host needs them (QEMU, busybox, a kernel); warnings after: the kernel will be
/// downloaded, and, always, that software CPU emulation is slow.
/// </summary>
public sealed record EmulatedHostVerdict(bool Supported, IReadOnlyList<NestedReason> Reasons, EmulatedHostFacts Facts)
{
    public static EmulatedHostVerdict Evaluate(HostEnvironment? environment = null) => For(EmulatedHostFacts.Probe(environment));

    public static EmulatedHostVerdict For(EmulatedHostFacts facts)
    {
        var reasons = new List<NestedReason>();
        if (facts.QemuPath is null)
        {
            reasons.Add(Blocking(NestedReasonCode.QemuMissing,
                $"{EmulatedHostFacts.QemuExecutable} is not on PATH: the emulated host is QEMU's TCG",
                $"apt-get install {EmulatedHostFacts.QemuPackage}"));
        }

        switch (facts.Busybox)
        {
            case ExecutableLinkage.Missing:
                reasons.Add(Blocking(NestedReasonCode.BusyboxMissing,
                    $"{facts.BusyboxPath} is missing: the emulated host's userland is a static busybox",
                    $"apt-get install {EmulatedHostFacts.BusyboxPackage}"));
                break;
            case ExecutableLinkage.Dynamic or ExecutableLinkage.Unrecognized:
                reasons.Add(Blocking(NestedReasonCode.BusyboxNotStatic,
                    facts.Busybox == ExecutableLinkage.Dynamic
                        ? $"{facts.BusyboxPath} is dynamically linked: the emulated host has no shared libraries, it needs the static build"
                        : $"{facts.BusyboxPath} is not a static executable the emulated host can run",
                    $"apt-get install {EmulatedHostFacts.BusyboxPackage} (it replaces the dynamic busybox)"));
                break;
        }

        switch (facts.GuestKernelSource)
        {
            case GuestKernelSource.None:
                reasons.Add(Blocking(NestedReasonCode.GuestKernelUnavailable,
                    $"no kernel for the emulated host: {LocalKernelProblem(facts)}, and apt-get is not on PATH to fetch {EmulatedHostFacts.KernelPackage}",
                    $"{ProvideLocalKernel(facts)}, or run on a Debian-based host with apt-get"));
                break;
            case GuestKernelSource.AptDownload:
                reasons.Add(new(NestedReasonCode.GuestKernelWillBeFetched, NestedReasonSeverity.Warning,
                    $"{LocalKernelProblem(facts)}: the emulated host's kernel will be fetched with " +
                    $"`apt-get download {EmulatedHostFacts.KernelPackage}` on first use",
                    $"nothing to do with a reachable Debian mirror; to boot without it, {ProvideLocalKernel(facts)}"));
                break;
        }

        reasons.Add(new(NestedReasonCode.EmulationIsSlow, NestedReasonSeverity.Warning,
            "software CPU emulation (QEMU TCG): roughly 10x slower boot than hardware KVM; nested guests run " +
            "(a three-level nested boot takes 20-60 s)",
            "for hardware speed, run on a host whose /dev/kvm is kvm_intel or kvm_amd"));

        return new EmulatedHostVerdict(!reasons.Exists(r => r.IsBlocking), reasons, facts);
    }

    /// <summary>The first blocking reason, or null when the verdict is YES.</summary>
    public NestedReason? FirstBlockingReason() => Reasons.FirstOrDefault(r => r.IsBlocking);

    /// <summary>Why this host's own kernel cannot be the emulated host's, in one clause.</summary>
    private static string LocalKernelProblem(EmulatedHostFacts facts) =>
        facts.KernelRelease is null ? "the running kernel's release is unknown (no /proc/sys/kernel/osrelease)"
        : !facts.LocalKernelPresent ? $"no local kernel ({facts.LocalKernelPath} is missing)"
        : !facts.LocalKernelReadable ? $"no local kernel ({facts.LocalKernelPath} cannot be read)"
        : !facts.LocalModulesPresent ? $"no local kernel modules ({facts.LocalModulesPath} is missing)"
        : $"the local kernel has no kvm_amd (not in {facts.LocalModulesPath})";

    private static string ProvideLocalKernel(EmulatedHostFacts facts) =>
        facts.KernelRelease is { } release
            ? $"provide /boot/vmlinuz-{release} (readable) with /lib/modules/{release} including kvm_amd"
            : "provide /boot/vmlinuz-$(uname -r) with /lib/modules/$(uname -r) including kvm_amd";

    private static NestedReason Blocking(NestedReasonCode code, string message, string fix) =>
        new(code, NestedReasonSeverity.Blocking, message, fix);
}
