namespace HyperNest.Management.Worker;

/// <summary>
/// A running VM's resource use since its run began, as its worker counts it (the answer to a metering request):
/// the vCPU threads' CPU time, the memory assigned to the guest sampled about once a second, the worker's resident
/// set, and what the disks and network adapters moved (bytes as the guest sees them).
/// </summary>
public sealed record VmMeteringReport
{
    /// <summary>When metering began: the run's start.</summary>
    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>Seconds since <see cref="StartedAt"/> when the report was made.</summary>
    public required double DurationSeconds { get; init; }

    /// <summary>CPU time of the vCPU threads (guest and host side of KVM_RUN, exits included), in seconds (/proc, 10 ms steps).</summary>
    public required double ProcessorSeconds { get; init; }

    public required ulong AverageMemoryBytes { get; init; }

    public required ulong MinimumMemoryBytes { get; init; }

    public required ulong MaximumMemoryBytes { get; init; }

    /// <summary>Host memory the worker occupies now (VmRSS), in bytes.</summary>
    public required ulong ResidentBytes { get; init; }

    public required long DiskBytesRead { get; init; }

    public required long DiskBytesWritten { get; init; }

    /// <summary>The disks' sizes as the guest sees them, summed.</summary>
    public required long DiskCapacityBytes { get; init; }

    /// <summary>Inbound: frames delivered into the guest.</summary>
    public required long NetworkBytesReceived { get; init; }

    /// <summary>Outbound: frames the guest sent that left the VM.</summary>
    public required long NetworkBytesSent { get; init; }
}
