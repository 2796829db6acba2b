using HyperNest.Kvm;
using HyperNest.Management.Model;
using HyperNest.Management.Nested;

namespace HyperNest.Management.Lifecycle;

/// <summary>Get-VMHost and Set-VMHost: the host's figures and the store's host settings (host.json).</summary>
public sealed partial class VmManager
{
    /// <summary>Where Get-VMHost learns what auto picks and whether nested virtualization works here (tests fabricate it).</summary>
    public Func<NestedHostStatus> HostStatus { get; init; } = () => NestedHostStatus.Evaluate();

    public VmHostInfo GetHost() => HostInfo(Store.LoadHost());

    /// <summary>
    /// Set-VMHost. The MAC range must hold at least one address (minimum not above maximum, both unicast); the virtual
    /// hard disk folder must exist. VirtualMachinePath is where the store keeps VMs (one folder per VM under the
    /// store, found by listing it), so it is accepted only as it is: a store elsewhere is another $HYPERNEST_HOME.
    /// All is checked before host.json is written.
    /// </summary>
    public VmHostInfo SetHost(HostChanges changes)
    {
        using FileLock storeLock = Store.LockStore();
        HostSettings settings = Store.LoadHost();
        if (changes.VirtualMachinePath is { } vmPath && !IsStoreFolder(vmPath))
        {
            throw new VmValidationException(
                $"VirtualMachinePath '{vmPath}' is not this store's: HyperNest keeps VMs in its store ({Store.VmsDirectory}); to keep them under another folder, use a store there (HYPERNEST_HOME).");
        }

        MacAddressPool pool = MacAddressPool.Parse(changes.MacAddressMinimum ?? settings.MacAddressMinimum, changes.MacAddressMaximum ?? settings.MacAddressMaximum);
        string? diskPath = settings.VirtualHardDiskPath;
        if (changes.VirtualHardDiskPath is { } disks)
        {
            diskPath = disks.Length > 0 && Directory.Exists(disks)
                ? Path.GetFullPath(disks)
                : throw new VmValidationException($"VirtualHardDiskPath '{disks}' is not an existing folder.");
        }

        HostSettings next = settings with { MacAddressMinimum = pool.Minimum, MacAddressMaximum = pool.Maximum, VirtualHardDiskPath = diskPath };
        Store.EnsureCanChange(Store.Home);
        Store.SaveHost(next);
        return HostInfo(next);
    }

    /// <summary>The host's dynamic MAC range, for a new adapter's address.</summary>
    private MacAddressPool MacPool() => MacAddressPool.Of(Store.LoadHost());

    private bool IsStoreFolder(string path)
    {
        string full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        return full == Path.TrimEndingDirectorySeparator(Store.Home) || full == Path.TrimEndingDirectorySeparator(Store.VmsDirectory);
    }

    private VmHostInfo HostInfo(HostSettings settings)
    {
        NestedHostStatus status = HostStatus();
        return new VmHostInfo
        {
            ComputerName = Environment.MachineName,
            LogicalProcessorCount = Environment.ProcessorCount,
            MemoryCapacityBytes = Vmm.HostMemory.TotalBytes,
            MacAddressMinimum = settings.MacAddressMinimum,
            MacAddressMaximum = settings.MacAddressMaximum,
            VirtualMachinePath = Store.VmsDirectory,
            VirtualHardDiskPath = settings.VirtualHardDiskPath ?? Path.Combine(Store.Home, "disks"),
            StorePath = Store.Home,
            Accelerator = status.AutoAccelerator.OptionValue(),
            NestedVirtualizationSupported = status.Host.Supported,
            NestedVirtualizationProblem = status.Host.FirstBlockingReason()?.Message,
        };
    }
}
