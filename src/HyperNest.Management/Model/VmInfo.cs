namespace HyperNest.Management.Model;

/// <summary>What Get-VM shows: the stored configuration and the live state the worker reports.</summary>
public sealed record VmInfo
{
    public required VmConfiguration Configuration { get; init; }

    public required VmState State { get; init; }

    public string Name => Configuration.Name;

    public Guid Id => Configuration.Id;

    /// <summary>Average share of the host's CPU time used by the VM since it started, in percent.</summary>
    public int CpuUsage { get; init; }

    /// <summary>Memory the guest holds while the VM runs (its worker's last report, else Startup); 0 when it is off.</summary>
    public ulong MemoryAssignedBytes { get; init; }

    /// <summary>Memory the guest uses, from its balloon statistics; 0 when off or not reported (Get-VM's MemoryDemand).</summary>
    public ulong MemoryDemandBytes { get; init; }

    /// <summary>Hyper-V's MemoryStatus of a running VM with Dynamic Memory: OK, Low or Warning; "" otherwise.</summary>
    public string MemoryStatus { get; init; } = "";

    /// <summary>What keeps the running VM from the memory it should have, in words; null if nothing.</summary>
    public string? MemoryProblem { get; init; }

    public TimeSpan Uptime { get; init; }

    public string Status { get; init; } = "Operating normally";

    /// <summary>How the last run ended (the guest powered off, the worker died, ...); null if it never ran.</summary>
    public string? LastStopReason { get; init; }

    /// <summary>The pid of the worker process running the VM; null when it is not running.</summary>
    public int? WorkerPid { get; init; }

    /// <summary>The accelerator the running (or last) run chose: kvm or emulated; null if it never ran.</summary>
    public string? RunningAccelerator { get; init; }
}
