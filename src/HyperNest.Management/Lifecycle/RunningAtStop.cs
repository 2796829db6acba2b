namespace HyperNest.Management.Lifecycle;

/// <summary>
/// running-at-stop.json: the VMs that were running when <c>hnest host stop-vms</c> ran (at the host's shutdown), for
/// StartIfRunning at the next <c>hnest host start-vms</c>, which deletes it.
/// </summary>
public sealed record RunningAtStop
{
    public IReadOnlyList<Guid> VmIds { get; init; } = [];

    public DateTimeOffset StoppedAt { get; init; }
}
