using HyperNest.Management.Accelerators;
using HyperNest.Kvm;
using HyperNest.Management.Model;
using HyperNest.Management.Store;
using HyperNest.Management.Worker;

namespace HyperNest.Management.Lifecycle;

/// <summary>Set-VMProcessor, Set-VMMemory, the boot source, network adapters and hard disk drives.</summary>
public sealed partial class VmManager
{
    public VmInfo SetProcessor(string name, ProcessorChanges changes) => Change(name, (config, state, _) => ApplyProcessor(config, state, changes));

    /// <summary>Set-VMProcessor's rules (Set-VM -ProcessorCount too): the count and the exposure change only while Off.</summary>
    private static VmConfiguration ApplyProcessor(VmConfiguration config, VmState state, ProcessorChanges changes)
    {
        if (changes.Count is { } count && count != config.ProcessorCount)
        {
            VmStateMachine.EnsureOff(state, config.Name, "the processor count");
        }

        if (changes.ExposeVirtualizationExtensions is { } expose && expose != config.ExposeVirtualizationExtensions)
        {
            VmStateMachine.EnsureOff(state, config.Name, "ExposeVirtualizationExtensions");
        }

        return config with
        {
            ProcessorCount = changes.Count is { } n ? VmValidation.ValidateProcessorCount(config.Name, n, Environment.ProcessorCount) : config.ProcessorCount,
            ExposeVirtualizationExtensions = changes.ExposeVirtualizationExtensions ?? config.ExposeVirtualizationExtensions,
        };
    }

    /// <summary>Set-VM -Accelerator: where the VM runs from its next start (auto, kvm, emulated); only while Off.</summary>
    public VmInfo SetAccelerator(string name, Accelerator accelerator) => SetVm(name, new VmChanges { Accelerator = accelerator });

    /// <summary>
    /// Set-VMMemory. While the VM runs, what Hyper-V lets change then (<see cref="RuntimeMemoryRules"/>) is stored and
    /// handed to the worker at once; if the worker refuses, the stored settings go back and the refusal is the error.
    /// </summary>
    public VmInfo SetMemory(string name, MemoryChanges changes)
    {
        VmMemorySettings? before = null;
        VmInfo changed = Change(name, (config, state, _) => ApplyMemory(config, state, changes, out before));
        return before is null ? changed : ApplyMemoryToRunningVm(changed, before);
    }

    /// <summary>
    /// Set-VMMemory's rules (Set-VM's memory parameters too): <paramref name="runningBefore"/> is the settings a running
    /// VM had when the change must reach its worker, else null.
    /// </summary>
    private static VmConfiguration ApplyMemory(VmConfiguration config, VmState state, MemoryChanges changes, out VmMemorySettings? runningBefore)
    {
        runningBefore = null;
        VmMemorySettings next = VmValidation.ApplyMemory(config.Name, config.Memory, changes);
        if (next != config.Memory && state != VmState.Off)
        {
            VmStateMachine.EnsureRunning(state, config.Name, "the memory settings");
            RuntimeMemoryRules.Check(config.Name, config.Memory, next);
            runningBefore = config.Memory;
        }

        return config with { Memory = next };
    }

    private VmInfo ApplyMemoryToRunningVm(VmInfo changed, VmMemorySettings before)
    {
        string? failure;
        try
        {
            ControlResponse response = Command(changed.Configuration, new MemoryRequest { Memory = changed.Configuration.Memory }, refusalIsAnAnswer: true);
            failure = response.Ok ? null : response.Error;
        }
        catch (ManagementException e)
        {
            failure = e.UserMessage();
        }

        if (failure is null)
        {
            return Info(changed.Configuration);
        }

        Change(changed.Name, (config, _, _) => config with { Memory = before });
        throw new VmOperationException($"'{changed.Name}' could not take the memory change while it runs: {failure}");
    }

    public VmInfo SetBoot(string name, BootChanges changes) => Change(name, (config, state, _) =>
    {
        VmStateMachine.EnsureOff(state, config.Name, "the boot source");
        return config with { Boot = VmValidation.ApplyBoot(config.Boot, changes) };
    });

    public VmInfo AddNetworkAdapter(string name, string adapterName, NetworkAdapterChanges settings) => Change(name, (config, state, used) =>
    {
        VmStateMachine.EnsureOff(state, config.Name, "the network adapters");
        string adapter = VmValidation.ValidateName(adapterName, "network adapter");
        if (config.NetworkAdapters.Any(a => string.Equals(a.Name, adapter, StringComparison.OrdinalIgnoreCase)))
        {
            throw new VmValidationException($"'{config.Name}' already has a network adapter named '{adapter}'.");
        }

        MacAddressPool pool = MacPool();
        var fresh = new VmNetworkAdapter { Name = adapter, MacAddress = pool.NewDynamic(used(null)) };
        return config with { NetworkAdapters = [.. config.NetworkAdapters, NetworkAdapterRules.Apply(fresh, WithSwitch(settings), used(null), pool)] };
    }, storeWide: true, switches: settings.SwitchName is not null);

    /// <summary>
    /// Set-VMNetworkAdapter (and Connect-/Disconnect-VMNetworkAdapter): on a running VM, MAC address spoofing and the
    /// switch take effect at once; the MAC address only while the VM is off.
    /// </summary>
    public VmInfo SetNetworkAdapter(string name, string adapterName, NetworkAdapterChanges changes)
    {
        VmNetworkAdapter? before = null;
        VmInfo changed = Change(name, (config, state, used) =>
        {
            VmNetworkAdapter adapter = FindAdapter(config, adapterName);
            if (changes.StaticMacAddress is not null || changes.DynamicMacAddress)
            {
                VmStateMachine.EnsureOff(state, config.Name, "the MAC address");
            }

            before = adapter;
            VmNetworkAdapter next = NetworkAdapterRules.Apply(adapter, WithSwitch(changes), used((config.Id, adapter.Name)), MacPool());
            return config with { NetworkAdapters = [.. config.NetworkAdapters.Select(a => a == adapter ? next : a)] };
        }, storeWide: true, switches: changes.SwitchName is not null);
        return ApplyToRunningVm(changed, before!);
    }

    public VmInfo RemoveNetworkAdapter(string name, string adapterName) => Change(name, (config, state, _) =>
    {
        VmNetworkAdapter adapter = FindAdapter(config, adapterName);
        VmStateMachine.EnsureOff(state, config.Name, "the network adapters");
        return config with { NetworkAdapters = [.. config.NetworkAdapters.Where(a => a != adapter)] };
    });

    public VmInfo AddHardDiskDrive(string name, string path, bool readOnly = false) => Change(name, (config, state, _) =>
    {
        VmStateMachine.EnsureOff(state, config.Name, "the hard disk drives");
        string full = Disks.VhdManager.Attachable(path);
        if (config.HardDrives.Any(d => d.Path == full))
        {
            throw new VmValidationException($"'{full}' is already attached to '{config.Name}'.");
        }

        return config with { HardDrives = [.. config.HardDrives, new VmHardDiskDrive { Path = full, ReadOnly = readOnly }] };
    });

    public VmInfo RemoveHardDiskDrive(string name, string path) => Change(name, (config, state, _) =>
    {
        VmStateMachine.EnsureOff(state, config.Name, "the hard disk drives");
        string full = Path.GetFullPath(path);
        VmHardDiskDrive disk = config.HardDrives.FirstOrDefault(d => d.Path == full)
            ?? throw new VmValidationException($"'{full}' is not attached to '{config.Name}'.");
        return config with { HardDrives = [.. config.HardDrives.Where(d => d != disk)] };
    });

    private static VmNetworkAdapter FindAdapter(VmConfiguration config, string adapterName) =>
        config.NetworkAdapters.FirstOrDefault(a => string.Equals(a.Name, adapterName, StringComparison.OrdinalIgnoreCase))
        ?? throw new VmValidationException($"'{config.Name}' has no network adapter named '{adapterName}'.");

    /// <summary>
    /// Re-reads the config under the VM's lock (and the store's, when the change must see other VMs: MAC addresses;
    /// and the switches', when it connects an adapter: the switch must not go meanwhile), applies
    /// <paramref name="change"/> and saves the result atomically.
    /// </summary>
    private VmInfo Change(
        string name,
        Func<VmConfiguration, VmState, Func<(Guid Vm, string Adapter)?, HashSet<string>>, VmConfiguration> change,
        bool storeWide = false,
        bool switches = false)
    {
        VmConfiguration found = Find(name);
        using FileLock? storeLock = storeWide ? Store.LockStore() : null;
        using FileLock? switchesLock = switches ? Switches.Lock() : null;
        using FileLock vmLock = Store.LockVm(found.Id);
        VmConfiguration config = Store.Load(found.Id);
        VmState state = RuntimeStatus.Read(Store.Folder(config.Id)).State;
        StoreListing? listing = storeWide ? Store.List() : null;
        VmConfiguration next = change(config, state, except => UsedMacs(listing ?? Store.List(), except));
        Store.Save(next);
        return Info(next);
    }
}
