using HyperNest.Management.Model;
using HyperNest.Management.Networking;

namespace HyperNest.Management.Lifecycle;

/// <summary>Connect-VMNetworkAdapter and Disconnect-VMNetworkAdapter: adapters and the virtual switches they are on.</summary>
public sealed partial class VmManager
{
    /// <summary>The store's virtual switch records (their bridges are SwitchManager's).</summary>
    public SwitchStore Switches => new(Store);

    /// <summary>
    /// Connects the adapter to an existing switch (its name as the switch spells it). On a running VM the change is
    /// stored and takes effect at the VM's next start: the worker attaches its TAP when it starts.
    /// </summary>
    public VmInfo ConnectNetworkAdapter(string name, string adapterName, string switchName) =>
        SetNetworkAdapter(name, adapterName, new NetworkAdapterChanges { SwitchName = switchName });

    public VmInfo DisconnectNetworkAdapter(string name, string adapterName) =>
        SetNetworkAdapter(name, adapterName, new NetworkAdapterChanges { Disconnect = true });

    private NetworkAdapterChanges WithSwitch(NetworkAdapterChanges changes) => changes with { SwitchName = ConnectableSwitch(changes.SwitchName) };

    /// <summary>The switch's own name, or a validation failure when there is none; the caller holds the switches lock.</summary>
    private string? ConnectableSwitch(string? switchName) => switchName is null
        ? null
        : (Switches.Find(switchName) ?? throw VirtualSwitchNotFoundException.Lookup(switchName)).Name;
}
