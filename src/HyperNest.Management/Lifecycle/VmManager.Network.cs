using HyperNest.Kvm;
using HyperNest.Management.Model;
using HyperNest.Management.Networking;
using HyperNest.Management.Worker;

namespace HyperNest.Management.Lifecycle;

/// <summary>Network adapters of running VMs: their ports as the worker sees them, and changes that take effect at once.</summary>
public sealed partial class VmManager
{
    /// <summary>The host's network, for switches' bridges; tests replace it.</summary>
    public IHostNetwork HostNetwork { get; init; } = new IpRoute2Network();

    /// <summary>The VM's adapters with, while it runs, each one's port (Status, IPAddresses, counters).</summary>
    public IReadOnlyList<NetworkAdapterInfo> GetNetworkAdapters(VmInfo vm)
    {
        IReadOnlyList<NetworkAdapterStatus> ports = LivePorts(vm);
        return [.. vm.Configuration.NetworkAdapters.Select(a =>
            NetworkAdapterInfo.From(a, ports.FirstOrDefault(p => string.Equals(p.Name, a.Name, StringComparison.OrdinalIgnoreCase))))];
    }

    /// <summary>The running VM's ports; none while it is off or when its worker does not answer.</summary>
    private IReadOnlyList<NetworkAdapterStatus> LivePorts(VmInfo vm)
    {
        if (vm.State is not (VmState.Running or VmState.Paused or VmState.Stopping))
        {
            return [];
        }

        try
        {
            return Command(vm.Configuration, new StatusRequest()).NetworkAdapters ?? [];
        }
        catch (ManagementException)
        {
            return [];
        }
    }

    /// <summary>
    /// After an adapter's settings were stored: a running VM applies them at once (MAC address spoofing for the next
    /// frame, the port moved to the new switch or taken off). If the worker refuses, the stored settings go back to
    /// <paramref name="before"/> and the refusal is the error.
    /// </summary>
    private VmInfo ApplyToRunningVm(VmInfo changed, VmNetworkAdapter before)
    {
        if (changed.State is not (VmState.Running or VmState.Paused or VmState.Stopping))
        {
            return changed;
        }

        VmNetworkAdapter adapter = changed.Configuration.NetworkAdapters.First(a => string.Equals(a.Name, before.Name, StringComparison.OrdinalIgnoreCase));
        string? failure;
        try
        {
            var request = new NetworkAdapterRequest
            {
                Adapter = adapter.Name,
                MacAddressSpoofing = adapter.MacAddressSpoofing,
                SwitchName = adapter.SwitchName,
                Bridge = adapter.SwitchName is null ? null : new SwitchManager(Store, HostNetwork).EnsureBridge(adapter.SwitchName),
            };
            ControlResponse response = Command(changed.Configuration, request);
            failure = response.Ok ? null : response.Error;
        }
        catch (ManagementException e)
        {
            failure = e.UserMessage();
        }

        if (failure is null)
        {
            return changed;
        }

        Change(changed.Name, (config, _, _) => config with
        {
            NetworkAdapters = [.. config.NetworkAdapters.Select(a => a.Name == before.Name ? before : a)],
        });
        throw new VmOperationException($"'{changed.Name}' is running and could not apply the change to network adapter '{before.Name}': {failure}");
    }
}
