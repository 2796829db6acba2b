using HyperNest.Management.Model;

namespace HyperNest.PowerShell.Objects;

/// <summary>
/// What Measure-VM writes (Hyper-V's VMMeteringReportForVirtualMachine): processor use in MHz, memory and disk in
/// megabytes (MiB), as Hyper-V reports them; HyperNest adds the vCPU time, the worker's resident memory and the
/// network traffic as two totals.
/// </summary>
public sealed class VMMeteringReportForVirtualMachine
{
    public required string VMName { get; init; }

    public required Guid VMId { get; init; }

    public required string ComputerName { get; init; }

    public required TimeSpan MeteringDuration { get; init; }

    public required ulong AverageProcessorUsage { get; init; }

    public required TimeSpan ProcessorTime { get; init; }

    public required ulong AverageMemoryUsage { get; init; }

    public required ulong MaximumMemoryUsage { get; init; }

    public required ulong MinimumMemoryUsage { get; init; }

    /// <summary>Host memory the VM's worker occupies now, in megabytes.</summary>
    public required ulong ResidentMemory { get; init; }

    public required ulong TotalDiskAllocation { get; init; }

    public required ulong AggregatedDiskDataRead { get; init; }

    public required ulong AggregatedDiskDataWritten { get; init; }

    /// <summary>Megabytes the VM's adapters took in.</summary>
    public required ulong NetworkInbound { get; init; }

    /// <summary>Megabytes the VM's adapters sent out.</summary>
    public required ulong NetworkOutbound { get; init; }

    public string? Accelerator { get; init; }

    public static VMMeteringReportForVirtualMachine From(VmMeasurement m) => new()
    {
        VMName = m.VmName,
        VMId = m.VmId,
        ComputerName = Environment.MachineName,
        MeteringDuration = m.MeteringDuration,
        AverageProcessorUsage = m.AverageProcessorUsageMHz,
        ProcessorTime = m.ProcessorTime,
        AverageMemoryUsage = m.AverageMemoryUsageBytes >> 20,
        MaximumMemoryUsage = m.MaximumMemoryUsageBytes >> 20,
        MinimumMemoryUsage = m.MinimumMemoryUsageBytes >> 20,
        ResidentMemory = m.ResidentBytes >> 20,
        TotalDiskAllocation = (ulong)m.TotalDiskAllocationBytes >> 20,
        AggregatedDiskDataRead = (ulong)m.AggregatedDiskDataReadBytes >> 20,
        AggregatedDiskDataWritten = (ulong)m.AggregatedDiskDataWrittenBytes >> 20,
        NetworkInbound = (ulong)m.NetworkInboundBytes >> 20,
        NetworkOutbound = (ulong)m.NetworkOutboundBytes >> 20,
        Accelerator = m.Accelerator,
    };

    public override string ToString() => VMName;
}
