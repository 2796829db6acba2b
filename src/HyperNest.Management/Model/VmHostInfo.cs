namespace HyperNest.Management.Model;

/// <summary>What Get-VMHost shows: this host's processors and memory, the store's settings, and where VMs can run.</summary>
public sealed record VmHostInfo
{
    public required string ComputerName { get; init; }

    /// <summary>Processors this process may run on (its affinity and cgroup limit count).</summary>
    public required int LogicalProcessorCount { get; init; }

    /// <summary>The host's memory (MemTotal), in bytes.</summary>
    public required ulong MemoryCapacityBytes { get; init; }

    public required string MacAddressMinimum { get; init; }

    public required string MacAddressMaximum { get; init; }

    /// <summary>Where VMs are kept: the store's vms folder (one folder per VM, named by its id).</summary>
    public required string VirtualMachinePath { get; init; }

    public required string VirtualHardDiskPath { get; init; }

    /// <summary>The store's folder ($HYPERNEST_HOME).</summary>
    public required string StorePath { get; init; }

    /// <summary>What <c>--accel auto</c> runs a Linux guest on here: kvm, emulated or none.</summary>
    public required string Accelerator { get; init; }

    /// <summary>Whether this host's KVM can expose virtualization extensions to a VM (nested virtualization).</summary>
    public required bool NestedVirtualizationSupported { get; init; }

    /// <summary>Why not, when <see cref="NestedVirtualizationSupported"/> is false (the first blocking reason).</summary>
    public string? NestedVirtualizationProblem { get; init; }
}
