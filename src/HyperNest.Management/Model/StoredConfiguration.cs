namespace HyperNest.Management.Model;

/// <summary>
/// The rules a VM's configuration read from the store must keep: those every change through VmManager keeps
/// (<see cref="VmValidation"/>'s name and memory rules, well-formed adapters), checked again on load because a file
/// can be edited by hand or by another tool. The host-dependent rules (processors no more than the host's, files
/// that exist) are left to the start, where the host is known.
/// </summary>
public static class StoredConfiguration
{
    /// <summary>Throws <see cref="VmValidationException"/> naming the first rule <paramref name="config"/> breaks.</summary>
    public static void Check(VmConfiguration config)
    {
        string name = VmValidation.ValidateName(config.Name ?? throw Missing("name"));
        Require(config.ProcessorCount >= 1, $"its processor count is {config.ProcessorCount}; it must be at least 1");
        Require(config.AutomaticStartDelay >= 0, $"its automatic start delay is {config.AutomaticStartDelay} seconds; it must be 0 or more");
        Require(Enum.IsDefined(config.Accelerator), $"its accelerator {(int)config.Accelerator} is none HyperNest knows");
        Require(Enum.IsDefined(config.AutomaticStartAction), $"its automatic start action {(int)config.AutomaticStartAction} is none HyperNest knows");
        Require(Enum.IsDefined(config.AutomaticStopAction), $"its automatic stop action {(int)config.AutomaticStopAction} is none HyperNest knows");
        VmValidation.ApplyMemory(name, config.Memory, new MemoryChanges());
        Require(config.Boot.KernelPath is not null || config.Boot.InitrdPath is null, "it has an initrd but no kernel");
        foreach (VmNetworkAdapter? adapter in config.NetworkAdapters)
        {
            if (adapter is null)
            {
                throw Missing("network adapter");
            }

            VmValidation.ValidateName(adapter.Name ?? throw Missing("network adapter name"), "network adapter");
            string mac = adapter.MacAddress ?? throw Missing($"MAC address of network adapter '{adapter.Name}'");
            Require(MacAddress.Normalize(mac) == mac, $"the MAC address '{mac}' of network adapter '{adapter.Name}' is not in Hyper-V's form (00155D0A1B2C)");
        }

        foreach (VmHardDiskDrive? drive in config.HardDrives)
        {
            Require(drive?.Path is not null, "a hard drive has no path");
        }
    }

    private static void Require(bool holds, string why)
    {
        if (!holds)
        {
            throw new VmValidationException(why);
        }
    }

    private static VmValidationException Missing(string what) => new($"its {what} is missing");
}
