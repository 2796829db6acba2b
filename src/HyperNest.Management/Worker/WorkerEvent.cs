using HyperNest.Management.Model;

namespace HyperNest.Management.Worker;

/// <summary>
/// What a worker inside an emulated host tells the host's worker without being asked: its VM's state changed
/// (<see cref="State"/>), it was reset and boots again (<see cref="Restarted"/>), or the VM ended (<see cref="EndReason"/>, in the words Get-VM shows).
/// </summary>
public sealed record WorkerEvent
{
    public VmState? State { get; init; }

    public string? EndReason { get; init; }

    /// <summary>True when the VM was reset and boots again inside the same emulated host (its uptime starts over).</summary>
    public bool Restarted { get; init; }

    /// <summary>True when the VM never ran: <see cref="EndReason"/> says why it could not be built.</summary>
    public bool FailedToStart { get; init; }
}
