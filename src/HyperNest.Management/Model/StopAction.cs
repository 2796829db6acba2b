using System.Text.Json.Serialization;
using HyperNest.Vmm.Json;

namespace HyperNest.Management.Model;

/// <summary>
/// Hyper-V's AutomaticStopAction: what a running VM undergoes when the host shuts down (<c>hnest host stop-vms</c>,
/// run at shutdown by hypernest.service). Hyper-V's default, Save, is the zero value (see <see cref="StartAction"/>).
/// </summary>
[JsonConverter(typeof(EnumNameConverter<StopAction>))]
public enum StopAction
{
    /// <summary>Its state is saved (Save-VM); its next start continues it.</summary>
    Save,

    /// <summary>The power is cut.</summary>
    TurnOff,

    /// <summary>The ACPI power button is pressed and the guest shuts down; one that has not within the timeout is turned off.</summary>
    ShutDown,
}
