namespace HyperNest.Management.Lifecycle;

/// <summary>
/// running-at-stop.json: the VMs that were running when <c>hnest host stop-vms</c> ran (at the host's shutdown), for
/// StartIfRunning at the next <c>hnest host start-vms</c>, which deletes it.
/// </summary>
public sealed record RunningAtStop
{
    // `?? default` in init: a member a file or message leaves out takes its default, not null (System.Text.Json's
    // generated code sets every init-only member, passing null for a missing one).
    public IReadOnlyList<Guid> VmIds { get; init => field = value ?? []; } = [];

    public DateTimeOffset StoppedAt { get; init; }
}
