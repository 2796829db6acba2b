using System.Globalization;
using HyperNest.Management;
using HyperNest.Management.Worker;
using HyperNest.Vmm.Network;

namespace HyperNest.Worker.Network;

/// <summary>
/// A running VM's network adapters on this host, in the VM's adapter order. Each connected adapter gets a TAP device
/// made by this process and put on its switch's bridge; the TAP is non-persistent, so the kernel removes it when the
/// process ends however it ends (stop, crash, SIGKILL) and no interface is left behind. The switch port in front of
/// it enforces MAC address spoofing and learns the guest's addresses. Changes while the VM runs
/// (<see cref="Apply"/>) take effect at once.
/// </summary>
internal sealed class AdapterPorts : IDisposable
{
    private readonly List<AdapterPort> _ports;
    private readonly IPortPlumbing _plumbing;

    private AdapterPorts(List<AdapterPort> ports, IPortPlumbing plumbing)
    {
        _ports = ports;
        _plumbing = plumbing;
    }

    public IReadOnlyList<AdapterPort> Ports => _ports;

    /// <summary>
    /// Makes the ports: <paramref name="tapPrefix"/> plus the adapter's index names each TAP (at most 15 characters).
    /// Throws with one line naming the adapter and what is missing (a switch, CAP_NET_ADMIN, /dev/net/tun); nothing
    /// made before the failure is left behind.
    /// </summary>
    public static AdapterPorts Open(IReadOnlyList<AdapterPlan> plans, string tapPrefix, IPortPlumbing plumbing)
    {
        var ports = new List<AdapterPort>();
        try
        {
            foreach ((AdapterPlan plan, int index) in plans.Select((p, i) => (p, i)))
            {
                ports.Add(OpenOne(plan, tapPrefix + index.ToString(CultureInfo.InvariantCulture), plumbing));
            }
        }
        catch
        {
            ports.ForEach(p => p.Dispose());
            throw;
        }

        return new AdapterPorts(ports, plumbing);
    }

    public IReadOnlyList<NetworkAdapterStatus> Status() => [.. _ports.Select(p => p.Status())];

    /// <summary>
    /// Applies <paramref name="request"/> to the running VM: MAC address spoofing for the next frame, and the TAP
    /// moved to another bridge or taken off (the guest's link follows).
    /// </summary>
    public AdapterPort Apply(NetworkAdapterRequest request)
    {
        AdapterPort port = _ports.FirstOrDefault(p => string.Equals(p.Name, request.Adapter, StringComparison.OrdinalIgnoreCase))
            ?? throw NoSuchAdapter(request.Adapter);
        port.Port.MacAddressSpoofing = request.MacAddressSpoofing;
        if (request.Bridge == port.Bridge)
        {
            port.SwitchName = request.SwitchName;
            return port;
        }

        if (request.Bridge is null)
        {
            _plumbing.Detach(port.Tap!.Name);
        }
        else
        {
            TapBackend tap = port.Tap ?? throw new HostPermissionException(
                $"network adapter '{port.Name}' started disconnected without a TAP device (HyperNest lacked CAP_NET_ADMIN): restart the VM to connect it", HostPermission.NetAdmin);
            _plumbing.Attach(request.Bridge, tap.Name);
        }

        port.Bridge = request.Bridge;
        port.SwitchName = request.SwitchName;
        return port;
    }

    /// <summary>A runtime change named an adapter the running VM does not have.</summary>
    public static VmValidationException NoSuchAdapter(string name) => new($"the running VM has no network adapter named '{name}'");

    public void Dispose() => _ports.ForEach(p => p.Dispose());

    private static AdapterPort OpenOne(AdapterPlan plan, string tapName, IPortPlumbing plumbing)
    {
        byte[] mac = Convert.FromHexString(plan.MacAddress);
        var switchPort = new SwitchPort(mac, plan.MacAddressSpoofing);
        if (!plan.IsConnected)
        {
            // Disconnected: a TAP on no bridge when one can be made, so that connecting later needs no new device.
            TapBackend? spare = plumbing.CanCreateTaps ? plumbing.CreateTap(tapName) : null;
            return new AdapterPort(plan.Name, plan.MacAddress, switchPort, spare);
        }

        string bridge = plan.BridgeFor(plumbing);
        TapBackend tap = plumbing.CreateTap(tapName);
        try
        {
            plumbing.Attach(bridge, tap.Name);
        }
        catch
        {
            tap.Dispose();
            throw;
        }

        return new AdapterPort(plan.Name, plan.MacAddress, switchPort, tap) { SwitchName = plan.SwitchName, Bridge = bridge };
    }
}
