using HyperNest.Management.Model;

namespace HyperNest.Management.Worker;

/// <summary>
/// runtime.json, written only by a VM's worker: which process runs the VM and in what state, and once it ends, why.
/// A live state (Starting, Running, Paused, Stopping) is the "running" marker: if its process is gone, the worker
/// died without writing its end, and the VM is Off for that reason.
/// </summary>
public sealed record RuntimeRecord
{
    public required int Pid { get; init; }

    /// <summary>The process's start time in clock ticks since boot (/proc/PID/stat field 22): tells a reused pid apart.</summary>
    public required long ProcessStartTicks { get; init; }

    public required VmState State { get; init; }

    public required DateTimeOffset StartedAt { get; init; }

    public DateTimeOffset? EndedAt { get; init; }

    /// <summary>How the run ended, in words (set when <see cref="State"/> is Off).</summary>
    public string? StopReason { get; init; }

    /// <summary>Whether the run ended or never started (set when <see cref="State"/> is Off).</summary>
    public RunOutcome? Outcome { get; init; }

    /// <summary>The accelerator the VM runs on: kvm, or emulated (then <see cref="Pid"/> is the host-side worker's).</summary>
    public string? Accelerator { get; init; }

    public bool IsLive => State is VmState.Starting or VmState.Running or VmState.Paused or VmState.Stopping;
}
