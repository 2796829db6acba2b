using System.Text.Json.Serialization;
using HyperNest.Vmm.Json;

namespace HyperNest.Management.Model;

/// <summary>
/// Hyper-V's AutomaticStartAction: what a VM does when the host starts (<c>hnest host start-vms</c>, run at boot by
/// hypernest.service). Hyper-V's default is the zero value: a config.json written before these settings, which lacks
/// them, reads as StartIfRunning (the source-generated reader leaves a missing init-only property at its default).
/// </summary>
[JsonConverter(typeof(EnumNameConverter<StartAction>))]
public enum StartAction
{
    /// <summary>Starts if it was running when the host stopped (recorded by <c>hnest host stop-vms</c>, or a worker the host's end killed).</summary>
    StartIfRunning,

    /// <summary>Stays as it is.</summary>
    Nothing,

    /// <summary>Always starts.</summary>
    Start,
}
