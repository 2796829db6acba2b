using HyperNest.Management.Model;

namespace HyperNest.Management.Nested;

/// <summary>
/// Whether one VM is set up to host VMs (Get-NestedVirtStatus's per-VM part): Ready when it exposes
/// virtualization extensions, Dynamic Memory is off and the host can expose them; every reason otherwise, and the
/// guide's warnings (MAC spoofing off, fewer than 2 vCPUs) either way.
/// </summary>
public sealed record NestedVmVerdict(string Name, VmState State, bool Ready, IReadOnlyList<NestedReason> Reasons, NestedVmFacts Facts)
{
    /// <summary>
    /// What HyperNest does for a VM that hosts VMs although Hyper-V refuses it, each proven by a lab scenario; empty
    /// for a VM that does not expose virtualization extensions, and for one that boots the built-in guest.
    /// </summary>
    public IReadOnlyList<string> BeyondHyperV { get; init; } = [];

    /// <summary>Runtime resize of a VM that hosts VMs (lab scenario nested-memory: L1 resized up and down while its L2 runs).</summary>
    public const string RuntimeMemoryResize =
        "its memory can be resized while it runs and hosts VMs (Set-VMMemory -StartupBytes): HyperNest supports this; Hyper-V does not";

    /// <summary>Save and restore of a VM that hosts VMs (lab scenario nested-save-restore: L1 saved and restored twice while its L2 ticks).</summary>
    public const string SaveWhileHostingVms =
        "it can be saved and restored while its own VMs run (Save-VM, Start-VM): HyperNest supports this; Hyper-V does not";

    public static NestedVmVerdict For(VmInfo vm, NestedHostVerdict host)
    {
        VmConfiguration config = vm.Configuration;
        var facts = new NestedVmFacts(
            config.ExposeVirtualizationExtensions,
            config.Memory.DynamicMemoryEnabled,
            config.Memory.StartupBytes,
            config.ProcessorCount,
            [.. config.NetworkAdapters.Where(a => !a.MacAddressSpoofing).Select(a => a.Name)],
            CheckpointCount: 0,
            HasSavedState: vm.State == VmState.Saved);

        var reasons = new List<NestedReason>();
        if (!facts.ExtensionsExposed)
        {
            reasons.Add(Blocking(NestedReasonCode.ExtensionsNotExposed, "virtualization extensions are not exposed",
                $"Set-VMProcessor -VMName {config.Name} -ExposeVirtualizationExtensions $true (VM off), or Enable-NestedVm -VmName {config.Name}"));
        }

        if (facts.DynamicMemoryEnabled)
        {
            reasons.Add(Blocking(NestedReasonCode.DynamicMemoryEnabled, "Dynamic Memory is on",
                $"Set-VMMemory {config.Name} -DynamicMemoryEnabled $false"));
        }

        if (host.FirstBlockingReason() is { } hostReason)
        {
            reasons.Add(Blocking(NestedReasonCode.HostUnsupported, $"the host cannot expose virtualization extensions: {hostReason.Message}", hostReason.Fix));
        }

        if (facts.HasSavedState)
        {
            reasons.Add(Blocking(NestedReasonCode.SavedStatePresent, "the VM has saved state",
                $"Remove-VMSavedState {config.Name} before changing its processor"));
        }

        if (facts.AdaptersWithoutMacSpoofing.Count > 0)
        {
            reasons.Add(Warning(NestedReasonCode.MacSpoofingOff,
                $"MAC address spoofing is off on {string.Join(", ", facts.AdaptersWithoutMacSpoofing)}: nested guests will have no network",
                $"Get-VMNetworkAdapter -VMName {config.Name} | Set-VMNetworkAdapter -MacAddressSpoofing On"));
        }

        if (facts.ExtensionsExposed && facts.ProcessorCount < NestedRules.RecommendedProcessorCount)
        {
            reasons.Add(Warning(NestedReasonCode.TooFewProcessors,
                $"{facts.ProcessorCount} virtual processor; the guide recommends at least {NestedRules.RecommendedProcessorCount}",
                $"Set-VMProcessor -VMName {config.Name} -Count 2"));
        }

        return new NestedVmVerdict(config.Name, vm.State, !reasons.Any(r => r.IsBlocking), reasons, facts)
        {
            // The built-in guest hosts no VMs and has no balloon or virtio-mem driver: nothing here concerns it.
            BeyondHyperV = facts.ExtensionsExposed && !config.Boot.IsBuiltIn ? [RuntimeMemoryResize, SaveWhileHostingVms] : [],
        };
    }

    private static NestedReason Blocking(NestedReasonCode code, string message, string fix) => new(code, NestedReasonSeverity.Blocking, message, fix);

    private static NestedReason Warning(NestedReasonCode code, string message, string fix) => new(code, NestedReasonSeverity.Warning, message, fix);
}
