namespace HyperNest.Management.Worker;

/// <summary>One line of JSON sent to a worker's control socket.</summary>
public sealed record ControlRequest
{
    public required ControlCommand Command { get; init; }

    /// <summary>Console input for <see cref="ControlCommand.Input"/>.</summary>
    public byte[]? Data { get; init; }

    /// <summary>How long a <see cref="ControlCommand.Shutdown"/> may take before the VM goes back to Running.</summary>
    public int? TimeoutSeconds { get; init; }
}
