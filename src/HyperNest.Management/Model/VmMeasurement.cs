namespace HyperNest.Management.Model;

/// <summary>
/// What Measure-VM reports (Hyper-V's VMMeteringReportForVirtualMachine), from the running VM's worker: figures since
/// its current run began. Bytes here; the front ends show Hyper-V's megabytes.
/// </summary>
public sealed record VmMeasurement
{
    public required string VmName { get; init; }

    public required Guid VmId { get; init; }

    public required TimeSpan MeteringDuration { get; init; }

    /// <summary>
    /// Hyper-V's AverageProcessorUsage: the vCPUs' CPU time over the duration, times one host logical processor's
    /// clock in MHz (/proc/cpuinfo); 0 when the host does not say its clock.
    /// </summary>
    public required ulong AverageProcessorUsageMHz { get; init; }

    /// <summary>The vCPU threads' CPU time.</summary>
    public required TimeSpan ProcessorTime { get; init; }

    public required ulong AverageMemoryUsageBytes { get; init; }

    public required ulong MaximumMemoryUsageBytes { get; init; }

    public required ulong MinimumMemoryUsageBytes { get; init; }

    /// <summary>Host memory the VM's worker occupies now (its resident set).</summary>
    public required ulong ResidentBytes { get; init; }

    /// <summary>Hyper-V's TotalDiskAllocation: the disks' sizes as the guest sees them.</summary>
    public required long TotalDiskAllocationBytes { get; init; }

    public required long AggregatedDiskDataReadBytes { get; init; }

    public required long AggregatedDiskDataWrittenBytes { get; init; }

    public required long NetworkInboundBytes { get; init; }

    public required long NetworkOutboundBytes { get; init; }

    /// <summary>Where the VM runs (kvm or emulated): on emulated, the vCPU time is that of the VM inside the emulated host.</summary>
    public string? Accelerator { get; init; }
}
