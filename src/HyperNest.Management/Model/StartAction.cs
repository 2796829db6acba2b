namespace HyperNest.Management.Model;

/// <summary>
/// Hyper-V's AutomaticStartAction: what a VM does when the host starts (<c>hnest host start-vms</c>, run at boot by
/// hypernest.service).
/// </summary>
public enum StartAction
{
    /// <summary>Stays as it is.</summary>
    Nothing,

    /// <summary>Starts if it was running when the host stopped (recorded by <c>hnest host stop-vms</c>, or a worker the host's end killed).</summary>
    StartIfRunning,

    /// <summary>Always starts.</summary>
    Start,
}
