namespace HyperNest.Management.Checkpoints;

/// <summary>A VM has no checkpoint of the given name or id.</summary>
public sealed class CheckpointNotFoundException(string vmName, string checkpoint)
    : ManagementException($"HyperNest was unable to find a checkpoint named \"{checkpoint}\" of virtual machine \"{vmName}\".")
{
    public string Checkpoint { get; } = checkpoint;
}
