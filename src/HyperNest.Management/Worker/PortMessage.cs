namespace HyperNest.Management.Worker;

/// <summary>One line from a worker inside an emulated host: an answer to a request, or an event.</summary>
public sealed record PortMessage
{
    public ControlResponse? Response { get; init; }

    public WorkerEvent? Event { get; init; }
}
