using HyperNest.Management.Model;

namespace HyperNest.Management.Lifecycle;

/// <summary>Set-VM and Rename-VM: VM-wide settings, checked whole and saved in one write.</summary>
public sealed partial class VmManager
{
    /// <summary>
    /// Set-VM. The processor count and the memory change only while the VM is Off (Hyper-V's rule for Set-VM; a
    /// running VM's memory changes through <see cref="SetMemory"/>), with Set-VMProcessor's and Set-VMMemory's checks;
    /// notes, the automatic actions and the name change in any state. Nothing is stored unless every change is valid.
    /// </summary>
    public VmInfo SetVm(string name, VmChanges changes)
    {
        string? newName = changes.NewName is null ? null : VmValidation.ValidateName(changes.NewName);
        if (changes.AutomaticStartDelay is < 0)
        {
            throw new VmValidationException($"The automatic start delay {changes.AutomaticStartDelay} is not valid: give 0 or more seconds.");
        }

        return Change(name, (config, state, _) =>
        {
            VmConfiguration next = ApplyProcessor(config, state, new ProcessorChanges { Count = changes.ProcessorCount });
            if (VmValidation.ApplyMemory(config.Name, config.Memory, changes.Memory) != config.Memory)
            {
                VmStateMachine.EnsureOff(state, config.Name, "the memory with Set-VM (Set-VMMemory changes what a running VM can take)");
            }

            next = ApplyMemory(next, state, changes.Memory, out VmMemorySettings? _);
            if (changes.Accelerator is { } accelerator && accelerator != config.Accelerator)
            {
                VmStateMachine.EnsureOff(state, config.Name, "the accelerator");
            }

            if (newName is not null && !string.Equals(newName, config.Name, StringComparison.Ordinal))
            {
                EnsureNameFree(Store.List(), newName, config.Id);
            }

            return next with
            {
                Name = newName ?? config.Name,
                Accelerator = changes.Accelerator ?? config.Accelerator,
                Notes = changes.Notes is null ? config.Notes : changes.Notes.Length == 0 ? null : changes.Notes,
                AutomaticStartAction = changes.AutomaticStartAction ?? config.AutomaticStartAction,
                AutomaticStartDelay = changes.AutomaticStartDelay ?? config.AutomaticStartDelay,
                AutomaticStopAction = changes.AutomaticStopAction ?? config.AutomaticStopAction,
            };
        }, storeWide: newName is not null);
    }

    /// <summary>
    /// Rename-VM: in any state, as in Hyper-V. The VM's folder is named by its id, so a running VM's worker, socket and
    /// files are untouched; only config.json changes.
    /// </summary>
    public VmInfo RenameVm(string name, string newName) => SetVm(name, new VmChanges { NewName = newName });

    /// <summary>Refuses a name another VM has (names are unique ignoring case); the caller holds the store lock.</summary>
    private static void EnsureNameFree(Store.StoreListing listing, string name, Guid self)
    {
        if (listing.Vms.Any(v => v.Id != self && string.Equals(v.Name, name, StringComparison.OrdinalIgnoreCase)))
        {
            throw new VmValidationException($"A virtual machine named '{name}' already exists.");
        }
    }
}
