using HyperNest.Management.Memory;
using HyperNest.Management.Model;

namespace HyperNest.Management.Worker;

/// <summary>The worker's one-line JSON answer.</summary>
public sealed record ControlResponse
{
    public int Version { get; init; } = ControlRequest.CurrentVersion;

    /// <summary>The request's <see cref="ControlRequest.Id"/>, echoed.</summary>
    public long? Id { get; init; }

    public bool Ok { get; init; } = true;

    public VmState State { get; init; }

    public string? Error { get; init; }

    /// <summary>True when the worker refused the request because of who sent it (<see cref="Error"/> says who it admits).</summary>
    public bool? PermissionDenied { get; init; }

    /// <summary>For input: how many bytes the guest's UART took.</summary>
    public int? Accepted { get; init; }

    /// <summary>For status and network adapter requests: each adapter's port as the worker sees it, in the VM's order.</summary>
    public IReadOnlyList<NetworkAdapterStatus>? NetworkAdapters { get; init; }

    /// <summary>For status and memory requests: the VM's memory as the worker sees it.</summary>
    public VmMemoryReport? Memory { get; init; }

    /// <summary>For metering requests: the VM's resource use since its run began.</summary>
    public VmMeteringReport? Metering { get; init; }

    /// <summary>
    /// A save's state file, from the worker inside an emulated host to the worker outside (its memory went to the
    /// save area disk); never passed on to a client.
    /// </summary>
    public byte[]? SavedState { get; init; }
}
