using System.Text.Json.Serialization;
using HyperNest.Vmm.Json;

namespace HyperNest.Management.Networking;

/// <summary>Hyper-V's three kinds of virtual switch, as Linux bridges.</summary>
[JsonConverter(typeof(EnumNameConverter<VirtualSwitchType>))]
public enum VirtualSwitchType
{
    /// <summary>Only the VMs on it talk to each other: the host has no address on the bridge (IPv6 off too).</summary>
    Private,

    /// <summary>The VMs and the host: the bridge is the host's interface (Hyper-V's "vEthernet (Name)").</summary>
    Internal,

    /// <summary>The VMs, the host and the outside: a host NIC is a port of the bridge.</summary>
    External,
}
