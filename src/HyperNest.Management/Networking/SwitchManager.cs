using HyperNest.Management.Worker;
using HyperNest.Kvm;
using HyperNest.Management.Model;
using HyperNest.Management.Store;

namespace HyperNest.Management.Networking;

/// <summary>
/// Hyper-V's virtual switches as Linux bridges: New/Get/Set/Remove-VMSwitch, and what a VM's worker needs at start
/// (<see cref="EnsureBridge"/>, <see cref="AttachInterface"/>). Its own class beside VmManager because a switch is
/// a host object with its own records, lock and host plumbing; it touches VMs only to disconnect their adapters
/// when a switch goes. Every change to the host first checks CAP_NET_ADMIN, and is all-or-nothing: no bridge
/// without its record, no record without its bridge.
/// </summary>
public sealed class SwitchManager(VmStore store, IHostNetwork host)
{
    private readonly BridgePlumbing _plumbing = new(host);

    public SwitchStore Switches { get; } = new(store);

    /// <summary>Bridges are this prefix and 8 hex digits of the switch's id (tests use their own prefix).</summary>
    internal string BridgePrefix { get; init; } = "hnbr-";

    /// <summary>The default store, on this host's network through iproute2.</summary>
    public static SwitchManager OpenDefault() => new(VmStore.OpenDefault(), new IpRoute2Network());

    public SwitchListResult GetSwitches()
    {
        SwitchListing listing = Switches.List();
        IReadOnlyList<VmConfiguration> vms = store.List().Vms;
        return new SwitchListResult([.. listing.Switches.Select(s => Info(s, vms))], listing.Problems);
    }

    /// <summary>A switch by name (ignoring case) or id.</summary>
    public VirtualSwitchInfo GetSwitch(string name) => Info(Find(name), store.List().Vms);

    /// <summary>New-VMSwitch: the bridge, then its record; a failure at any step leaves neither.</summary>
    public VirtualSwitchInfo NewSwitch(NewSwitchOptions options)
    {
        EnsureNetAdmin("creating a virtual switch");
        string name = VmValidation.ValidateName(options.Name, "virtual switch");
        CheckNetAdapterOption(options.SwitchType, options.NetAdapterName, options.AllowManagementOS is not null);
        using FileLock switchesLock = Switches.Lock();
        IReadOnlyList<VirtualSwitch> switches = Switches.List().Switches;
        if (switches.Any(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase)))
        {
            throw new VirtualSwitchExistsException(name);
        }

        if (options.NetAdapterName is { } nic)
        {
            CheckNetAdapter(nic, switches, except: null);
        }

        var id = Guid.NewGuid();
        VirtualSwitch created = _plumbing.Create(new VirtualSwitch
        {
            Id = id,
            Name = name,
            SwitchType = options.SwitchType,
            NetAdapterName = options.NetAdapterName,
            AllowManagementOS = options.SwitchType == VirtualSwitchType.Internal
                || (options.SwitchType == VirtualSwitchType.External && (options.AllowManagementOS ?? true)),
            Notes = options.Notes,
            BridgeName = BridgePrefix + id.ToString("N")[..8],
            CreationTime = DateTimeOffset.UtcNow,
        });
        SaveOrUndo(created, () => _plumbing.Delete(created));
        return Info(created, store.List().Vms);
    }

    /// <summary>
    /// Set-VMSwitch. -SwitchType takes Internal or Private (an External switch lets its NIC go); -NetAdapterName
    /// makes the switch External or moves it to another NIC; -AllowManagementOS moves the host's addresses.
    /// </summary>
    public VirtualSwitchInfo SetSwitch(string name, SwitchChanges changes)
    {
        EnsureNetAdmin("changing a virtual switch");
        if (changes.SwitchType == VirtualSwitchType.External)
        {
            throw new VmValidationException("A virtual switch becomes External by being given a network adapter (-NetAdapterName), not by -SwitchType.");
        }

        if (changes.SwitchType is not null && changes.NetAdapterName is not null)
        {
            throw new VmValidationException("-SwitchType and -NetAdapterName cannot be used together: a network adapter makes the switch External.");
        }

        using FileLock switchesLock = Switches.Lock();
        VirtualSwitch old = Find(name);
        VirtualSwitchType type = changes.NetAdapterName is not null ? VirtualSwitchType.External : changes.SwitchType ?? old.SwitchType;
        if (changes.AllowManagementOS is not null && type != VirtualSwitchType.External)
        {
            throw new VmValidationException($"-AllowManagementOS applies to External switches only; '{old.Name}' would be {type}.");
        }

        string? nic = type == VirtualSwitchType.External ? changes.NetAdapterName ?? old.NetAdapterName : null;
        if (nic is not null && !string.Equals(nic, old.NetAdapterName, StringComparison.Ordinal))
        {
            CheckNetAdapter(nic, Switches.List().Switches, except: old.Id);
        }

        VirtualSwitch next = old with
        {
            SwitchType = type,
            NetAdapterName = nic,
            AllowManagementOS = type switch
            {
                VirtualSwitchType.Internal => true,
                VirtualSwitchType.Private => false,
                _ => changes.AllowManagementOS ?? (old.SwitchType != VirtualSwitchType.External || old.AllowManagementOS),
            },
            Notes = changes.Notes ?? old.Notes,
        };
        if (next with { Notes = null } != old with { Notes = null })
        {
            VirtualSwitch current = Made(old);
            next = _plumbing.Reconfigure(current, next with { NetAdapterIpConfiguration = current.NetAdapterIpConfiguration });
            SaveOrUndo(next, () => _plumbing.Reconfigure(next, current));
        }
        else if (next != old)
        {
            Switches.Save(next);
        }

        return Info(next, store.List().Vms);
    }

    /// <summary>
    /// Remove-VMSwitch: gives an External switch's NIC back, deletes the bridge and the record, and disconnects the
    /// adapters connected to it (their SwitchName becomes null), as Hyper-V does; a running VM's are disconnected at
    /// once (its worker takes the TAP off, the guest's link goes down).
    /// </summary>
    public void RemoveSwitch(string name)
    {
        EnsureNetAdmin("removing a virtual switch");
        using FileLock switchesLock = Switches.Lock();
        VirtualSwitch record = Find(name);
        _plumbing.Delete(record);
        Switches.Delete(record.Id);
        foreach (VmConfiguration vm in store.List().Vms.Where(v => ConnectedTo(v, record.Name).Any()))
        {
            using FileLock vmLock = store.LockVm(vm.Id);
            VmConfiguration current = store.Load(vm.Id);
            store.Save(current with
            {
                NetworkAdapters = [.. current.NetworkAdapters.Select(a => IsOn(a, record.Name) ? a with { SwitchName = null } : a)],
            });
            DisconnectRunning(current, record.Name);
        }
    }

    /// <summary>
    /// A running VM's ports on a removed switch are disconnected at once: the worker takes the TAP off and the guest
    /// sees its link go down. A worker that cannot be asked (not running, ending) is left alone: its TAP has already
    /// fallen off the deleted bridge and goes with the worker.
    /// </summary>
    private void DisconnectRunning(VmConfiguration vm, string switchName)
    {
        if (RuntimeStatus.Read(store.Folder(vm.Id)).Process is null)
        {
            return;
        }

        foreach (VmNetworkAdapter adapter in ConnectedTo(vm, switchName))
        {
            try
            {
                ControlClient.Send(store.Folder(vm.Id).ControlSocket, vm.Name, new NetworkAdapterRequest
                {
                    Adapter = adapter.Name,
                    MacAddressSpoofing = adapter.MacAddressSpoofing,
                });
            }
            catch (ManagementException)
            {
                // The worker is going; so is its TAP.
            }
        }
    }

    /// <summary>
    /// For a VM's worker at start: the bridge of the named switch, made again from its record when the host lost it
    /// (a reboot). Returns the bridge's name.
    /// </summary>
    public string EnsureBridge(string switchName)
    {
        VirtualSwitch record = Find(switchName);
        if (host.GetLink(record.BridgeName) is not null)
        {
            return record.BridgeName;
        }

        EnsureNetAdmin($"making the bridge of virtual switch '{record.Name}'");
        using FileLock switchesLock = Switches.Lock();
        return Made(Find(switchName)).BridgeName;
    }

    /// <summary>
    /// For a VM's worker at start: makes an interface it created (the adapter's TAP) a port of the switch's bridge,
    /// up and without host addresses; the bridge is made first when missing.
    /// </summary>
    public void AttachInterface(string switchName, string interfaceName)
    {
        EnsureNetAdmin($"attaching an interface to virtual switch '{switchName}'");
        string bridge = EnsureBridge(switchName);
        if (!IpRoute2Network.IsInterfaceName(interfaceName) || host.GetLink(interfaceName) is null)
        {
            throw new VmValidationException($"The interface '{interfaceName}' does not exist on this host.");
        }

        _plumbing.Attach(bridge, interfaceName);
    }

    /// <summary>The record (read under the switches lock) with its bridge: made again, and the record saved, when missing.</summary>
    private VirtualSwitch Made(VirtualSwitch record)
    {
        if (host.GetLink(record.BridgeName) is not null)
        {
            return record;
        }

        VirtualSwitch made = _plumbing.Create(record);
        SaveOrUndo(made, () => _plumbing.Delete(made));
        return made;
    }

    /// <summary>Saves a record whose host side is done; when the store refuses, the host side is undone.</summary>
    private void SaveOrUndo(VirtualSwitch record, Action undo)
    {
        try
        {
            Switches.Save(record);
        }
        catch (VmStoreException)
        {
            undo();
            throw;
        }
    }

    private VirtualSwitch Find(string name) => Switches.Find(name) ?? throw VirtualSwitchNotFoundException.Lookup(name);

    private void EnsureNetAdmin(string what)
    {
        if (!host.HasNetAdmin)
        {
            throw new HostPermissionException($"{what} needs CAP_NET_ADMIN (run as root)", HostPermission.NetAdmin);
        }
    }

    private static void CheckNetAdapterOption(VirtualSwitchType type, string? netAdapterName, bool allowManagementOSGiven)
    {
        if (type == VirtualSwitchType.External && string.IsNullOrWhiteSpace(netAdapterName))
        {
            throw new VmValidationException("An External virtual switch needs a network adapter (-NetAdapterName).");
        }

        if (type != VirtualSwitchType.External && (netAdapterName is not null || allowManagementOSGiven))
        {
            throw new VmValidationException($"{(type == VirtualSwitchType.Internal ? "An" : "A")} {type} virtual switch takes no network adapter (a NIC and AllowManagementOS are for External switches).");
        }
    }

    /// <summary>An External switch takes a NIC of this host that no switch or other bridge has already.</summary>
    private void CheckNetAdapter(string name, IReadOnlyList<VirtualSwitch> switches, Guid? except)
    {
        NetworkLink nic = (IpRoute2Network.IsInterfaceName(name) ? host.GetLink(name) : null) ?? throw BridgePlumbing.NetAdapterNotFound(name);
        VirtualSwitch? owner = switches.FirstOrDefault(s => s.Id != except
            && (string.Equals(s.NetAdapterName, nic.Name, StringComparison.Ordinal) || s.BridgeName == nic.Master || s.BridgeName == nic.Name));
        if (owner is not null)
        {
            throw new VmValidationException($"The network adapter '{name}' is already bound to virtual switch '{owner.Name}'.");
        }

        if (nic.Master is { } master && switches.All(s => s.BridgeName != master))
        {
            throw new VmValidationException($"The network adapter '{name}' is already a port of bridge '{master}'.");
        }

        if (nic.Kind == "bridge")
        {
            throw new VmValidationException($"'{name}' is a bridge, not a network adapter: an External switch takes a NIC.");
        }

        if (nic.MacAddress.Replace(":", "", StringComparison.Ordinal).Trim('0').Length == 0)
        {
            throw new VmValidationException($"'{name}' has no Ethernet address (loopback or a tunnel), so it cannot be bridged: an External switch takes an Ethernet NIC.");
        }
    }

    private VirtualSwitchInfo Info(VirtualSwitch record, IReadOnlyList<VmConfiguration> vms) => new()
    {
        Switch = record,
        BridgeExists = host.GetLink(record.BridgeName) is not null,
        ConnectedAdapters = [.. vms.OrderBy(v => v.Name, StringComparer.OrdinalIgnoreCase)
            .SelectMany(v => ConnectedTo(v, record.Name).Select(a => new SwitchConnection(v.Name, a.Name)))],
    };

    private static IEnumerable<VmNetworkAdapter> ConnectedTo(VmConfiguration vm, string switchName) => vm.NetworkAdapters.Where(a => IsOn(a, switchName));

    private static bool IsOn(VmNetworkAdapter adapter, string switchName) =>
        string.Equals(adapter.SwitchName, switchName, StringComparison.OrdinalIgnoreCase);
}
