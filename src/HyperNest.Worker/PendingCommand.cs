using HyperNest.Management.Worker;
namespace HyperNest.Worker;

/// <summary>A parsed request on its way to the worker's control thread, with the slot for its answer.</summary>
internal sealed record PendingCommand(ControlRequest Request)
{
    public TaskCompletionSource<ControlResponse> Reply { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
