using HyperNest.Kvm;
using HyperNest.Management;
using HyperNest.Management.Networking;
using HyperNest.Management.Store;
using HyperNest.Vmm.Network;

namespace HyperNest.Worker.Network;

/// <summary>Ports on this host: TAP devices from /dev/net/tun, bridges and ports through iproute2 (the switches' own plumbing).</summary>
/// <param name="switches">The store's switches; null where adapters name bridges only (inside an emulated host).</param>
/// <param name="host">The host's network.</param>
public sealed class HostPortPlumbing(SwitchManager? switches, IHostNetwork host) : IPortPlumbing
{
    private readonly BridgePlumbing _bridges = new(host);

    /// <summary>The plumbing for VMs of <paramref name="store"/>, whose switches it holds.</summary>
    public static HostPortPlumbing For(VmStore store)
    {
        var host = new IpRoute2Network();
        return new HostPortPlumbing(new SwitchManager(store, host), host);
    }

    public bool CanCreateTaps => host.HasNetAdmin;

    public TapBackend CreateTap(string name)
    {
        try
        {
            return TapBackend.Create(name);
        }
        catch (TapException e)
        {
            throw new HostNetworkException(e.UserMessage());
        }
    }

    public string BridgeOf(string switchName) => switches?.EnsureBridge(switchName)
        ?? throw VirtualSwitchNotFoundException.Lookup(switchName);

    public void Attach(string bridge, string interfaceName)
    {
        NetworkLink link = host.GetLink(bridge) ?? throw new HostNetworkException($"the bridge '{bridge}' does not exist on this host");
        if (link.Kind != "bridge")
        {
            throw new HostNetworkException($"'{bridge}' is not a bridge: --nic bridge= takes a Linux bridge (or give a virtual switch's name)");
        }

        _bridges.Attach(bridge, interfaceName);
    }

    public void Detach(string interfaceName)
    {
        host.SetMaster(interfaceName, null);
        host.SetUp(interfaceName, false);
    }
}
