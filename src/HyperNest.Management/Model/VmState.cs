using System.Text.Json.Serialization;
using HyperNest.Vmm.Json;

namespace HyperNest.Management.Model;

/// <summary>A VM's state, named as Hyper-V's Get-VM shows it.</summary>
[JsonConverter(typeof(EnumNameConverter<VmState>))]
public enum VmState
{
    Off,
    Running,
    Paused,
    Saved,
    Starting,
    Stopping,
}
