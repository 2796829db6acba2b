namespace HyperNest.Management.Model;

/// <summary>Stop-VM's parameters.</summary>
public sealed record StopOptions
{
    public const int DefaultTimeoutSeconds = 30;

    /// <summary>Cut the power instead of waiting for the guest to shut down.</summary>
    public bool TurnOff { get; init; }

    /// <summary>When the guest does not shut down in time, turn it off instead of failing.</summary>
    public bool Force { get; init; }

    public int TimeoutSeconds { get; init; } = DefaultTimeoutSeconds;
}
