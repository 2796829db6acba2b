using System.Text.Json.Serialization;
using HyperNest.Vmm.Json;

namespace HyperNest.Management.Worker;

/// <summary>How a VM's run ended, as runtime.json records it beside the reason in words.</summary>
[JsonConverter(typeof(EnumNameConverter<RunOutcome>))]
public enum RunOutcome
{
    /// <summary>The VM ran and ended (the guest powered off, the host turned it off, ...).</summary>
    Ended,

    /// <summary>The VM never ran: its configuration or the host could not build it.</summary>
    FailedToStart,
}
