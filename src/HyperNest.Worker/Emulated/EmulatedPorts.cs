using System.Diagnostics;
using HyperNest.Emulation.Image;
using HyperNest.Emulation.Qemu;
using HyperNest.Management;
using HyperNest.Management.Worker;
using HyperNest.Worker.Network;

namespace HyperNest.Worker;

/// <summary>
/// A VM's adapters on the emulated accelerator, seen from this host: QEMU opens one TAP device per adapter (by name,
/// so it goes away with QEMU), and this class puts it on the adapter's switch once QEMU runs, and moves it when the
/// adapter is connected elsewhere or disconnected while the VM runs. The switch port itself (MAC address spoofing,
/// learned addresses, counters) is the inner hnest's, which reaches its adapter over the emulated host's bridge
/// <see cref="EmulatedHostNic.InnerBridge"/>.
/// </summary>
public sealed class EmulatedPorts
{
    /// <summary>How long QEMU may take to create its TAP devices (it does so before the emulated CPU starts).</summary>
    private static readonly TimeSpan TapAppears = TimeSpan.FromSeconds(20);

    private readonly IPortPlumbing _plumbing;
    private readonly List<(AdapterPlan Plan, EmulatedHostNic Nic)> _adapters;
    private readonly string?[] _bridges;
    private readonly string?[] _switches;

    private EmulatedPorts(IPortPlumbing plumbing, List<(AdapterPlan Plan, EmulatedHostNic Nic)> adapters)
    {
        _plumbing = plumbing;
        _adapters = adapters;
        _bridges = new string?[adapters.Count];
        _switches = [.. adapters.Select(a => a.Plan.SwitchName)];
    }

    public IReadOnlyList<EmulatedHostNic> Nics => [.. _adapters.Select(a => a.Nic)];

    /// <summary>
    /// Checks on this host, before a boot is spent: every connected adapter's switch exists (its bridge is made when
    /// missing) and TAP devices can be made. Disconnected adapters are carried only where TAP devices can be made.
    /// </summary>
    public static EmulatedPorts Plan(IReadOnlyList<AdapterPlan> adapters, string tapPrefix, IPortPlumbing plumbing)
    {
        var carried = new List<(AdapterPlan, EmulatedHostNic)>();
        foreach ((AdapterPlan plan, int index) in adapters.Select((a, i) => (a, i)))
        {
            if (plan.IsConnected)
            {
                _ = plan.BridgeFor(plumbing);
            }

            if (plumbing.CanCreateTaps)
            {
                carried.Add((plan, new EmulatedHostNic(index, tapPrefix + index, plan.MacAddress)));
            }
        }

        if (carried.Count > 0)
        {
            // The emulated host's image carries this host's iproute2; without it there is nothing to bridge with.
            HostTools.Iproute();
        }

        return new EmulatedPorts(plumbing, carried);
    }

    /// <summary>Each carried adapter as the inner hnest's <c>--nic</c>, and as a NIC of the emulated host.</summary>
    public void AddTo(RunPayload payload)
    {
        foreach ((AdapterPlan plan, EmulatedHostNic nic) in _adapters)
        {
            payload.Nic(nic);
            payload.Argument("--nic").Argument(
                $"bridge={nic.InnerBridge},mac={plan.MacAddress},spoofing={(plan.MacAddressSpoofing ? "on" : "off")},name={plan.Name}");
        }
    }

    /// <summary>Once QEMU runs: every connected adapter's TAP on its switch's bridge.</summary>
    public void Attach()
    {
        for (int i = 0; i < _adapters.Count; i++)
        {
            (AdapterPlan plan, EmulatedHostNic nic) = _adapters[i];
            if (!plan.IsConnected)
            {
                continue;
            }

            WaitForInterface(nic.TapName);
            string bridge = plan.BridgeFor(_plumbing);
            _plumbing.Attach(bridge, nic.TapName);
            _bridges[i] = bridge;
        }
    }

    /// <summary>
    /// A runtime change on this host's side (the TAP moved or taken off its bridge); returns the request for the
    /// inner hnest, whose adapter stays on its inner bridge while connected.
    /// </summary>
    public NetworkAdapterRequest Apply(NetworkAdapterRequest request)
    {
        int index = IndexOf(request.Adapter);
        if (index < 0)
        {
            throw AdapterPorts.NoSuchAdapter(request.Adapter);
        }

        EmulatedHostNic nic = _adapters[index].Nic;
        if (request.Bridge != _bridges[index])
        {
            if (request.Bridge is null)
            {
                _plumbing.Detach(nic.TapName);
            }
            else
            {
                _plumbing.Attach(request.Bridge, nic.TapName);
            }

            _bridges[index] = request.Bridge;
        }

        _switches[index] = request.SwitchName;
        return request with { Bridge = request.Bridge is null ? null : nic.InnerBridge };
    }

    /// <summary>
    /// The inner hnest's view of its ports as this host sees them: the switch each is on and this host's TAP (inside,
    /// a port only knows its inner bridge and the TAP there).
    /// </summary>
    public ControlResponse Outside(ControlResponse response) => response.NetworkAdapters is not { } ports ? response : response with
    {
        NetworkAdapters = [.. ports.Select(port =>
        {
            int index = IndexOf(port.Name);
            return index < 0 ? port : port with
            {
                SwitchName = _switches[index],
                HostInterface = _bridges[index] is null ? null : _adapters[index].Nic.TapName,
            };
        })],
    };

    /// <summary>The carried adapter named <paramref name="name"/> (any case), or -1.</summary>
    private int IndexOf(string name) => _adapters.FindIndex(a => string.Equals(a.Plan.Name, name, StringComparison.OrdinalIgnoreCase));

    private static void WaitForInterface(string name)
    {
        var clock = Stopwatch.StartNew();
        while (!Directory.Exists($"/sys/class/net/{name}"))
        {
            if (clock.Elapsed > TapAppears)
            {
                throw new HostNetworkException($"QEMU did not create the TAP device '{name}' within {TapAppears.TotalSeconds:F0} s");
            }

            Thread.Sleep(50);
        }
    }
}
