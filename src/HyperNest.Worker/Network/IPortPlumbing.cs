using HyperNest.Vmm.Network;

namespace HyperNest.Worker.Network;

/// <summary>
/// What a VM's switch ports need from this host: a TAP device per connected adapter, and putting it on a switch's
/// bridge or taking it off. <see cref="HostPortPlumbing"/> does it with TUN/TAP and iproute2; tests fake it.
/// </summary>
public interface IPortPlumbing
{
    /// <summary>Whether TAP devices can be made here (CAP_NET_ADMIN).</summary>
    bool CanCreateTaps { get; }

    /// <summary>A non-persistent TAP device named <paramref name="name"/>: the kernel removes it with this process.</summary>
    TapBackend CreateTap(string name);

    /// <summary>The Linux bridge of a virtual switch, made again from its record when the host lost it.</summary>
    string BridgeOf(string switchName);

    /// <summary>Makes <paramref name="interfaceName"/> a port of <paramref name="bridge"/>, up.</summary>
    void Attach(string bridge, string interfaceName);

    /// <summary>Takes <paramref name="interfaceName"/> off its bridge and down.</summary>
    void Detach(string interfaceName);
}
