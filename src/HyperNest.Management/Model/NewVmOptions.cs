using HyperNest.Management.Accelerators;

namespace HyperNest.Management.Model;

/// <summary>New-VM's parameters. Like Hyper-V, a new VM gets one network adapter ("Network Adapter").</summary>
public sealed record NewVmOptions
{
    public required string Name { get; init; }

    public ulong? MemoryStartupBytes { get; init; }

    public int? ProcessorCount { get; init; }

    /// <summary>Connect the default adapter to this switch.</summary>
    public string? SwitchName { get; init; }

    /// <summary>Raw disk images to attach (Hyper-V's -VHDPath).</summary>
    public IReadOnlyList<string> DiskPaths { get; init; } = [];

    /// <summary>A new dynamic (qcow2) disk to make and attach (Hyper-V's -NewVHDPath); needs <see cref="NewVhdSizeBytes"/>.</summary>
    public string? NewVhdPath { get; init; }

    /// <summary>The new disk's size in bytes (Hyper-V's -NewVHDSizeBytes), a multiple of 512.</summary>
    public long? NewVhdSizeBytes { get; init; }

    public VmBootSource? Boot { get; init; }

    public Accelerator Accelerator { get; init; } = Accelerator.Auto;
}
