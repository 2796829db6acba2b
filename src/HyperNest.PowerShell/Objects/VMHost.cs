using HyperNest.Management.Model;

namespace HyperNest.PowerShell.Objects;

/// <summary>What Get-VMHost writes (Hyper-V's VMHost), plus HyperNest's store, accelerator and nested verdict.</summary>
public sealed class VMHost
{
    public required string Name { get; init; }

    public required string ComputerName { get; init; }

    public required long LogicalProcessorCount { get; init; }

    /// <summary>The host's memory, in bytes.</summary>
    public required long MemoryCapacity { get; init; }

    public required string MacAddressMinimum { get; init; }

    public required string MacAddressMaximum { get; init; }

    public required string VirtualMachinePath { get; init; }

    public required string VirtualHardDiskPath { get; init; }

    /// <summary>The store ($HYPERNEST_HOME).</summary>
    public required string StorePath { get; init; }

    /// <summary>What the auto accelerator runs a Linux guest on here: kvm, emulated or none.</summary>
    public required string Accelerator { get; init; }

    /// <summary>Whether VMs can expose virtualization extensions on this host's KVM.</summary>
    public required bool NestedVirtualizationSupported { get; init; }

    /// <summary>Why not, when it is not supported.</summary>
    public string? NestedVirtualizationProblem { get; init; }

    public static VMHost From(VmHostInfo host) => new()
    {
        Name = host.ComputerName,
        ComputerName = host.ComputerName,
        LogicalProcessorCount = host.LogicalProcessorCount,
        MemoryCapacity = (long)host.MemoryCapacityBytes,
        MacAddressMinimum = host.MacAddressMinimum,
        MacAddressMaximum = host.MacAddressMaximum,
        VirtualMachinePath = host.VirtualMachinePath,
        VirtualHardDiskPath = host.VirtualHardDiskPath,
        StorePath = host.StorePath,
        Accelerator = host.Accelerator,
        NestedVirtualizationSupported = host.NestedVirtualizationSupported,
        NestedVirtualizationProblem = host.NestedVirtualizationProblem,
    };

    public override string ToString() => Name;
}
