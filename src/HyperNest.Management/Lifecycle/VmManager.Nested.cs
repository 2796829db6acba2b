using HyperNest.Management.Model;
using HyperNest.Management.Nested;

namespace HyperNest.Management.Lifecycle;

/// <summary>Get-NestedVirtStatus's per-VM verdicts and Enable-NestedVm.</summary>
public sealed partial class VmManager
{
    public IReadOnlyList<NestedVmVerdict> GetNestedVerdicts(NestedHostVerdict host) =>
        [.. GetVms().Vms.Select(vm => NestedVmVerdict.For(vm, host))];

    /// <summary>The steps <see cref="EnableNested"/> would take, for the plan Enable-NestedVm shows before asking.</summary>
    public NestedEnablePlan PlanEnableNested(string name, NestedEnableOptions options)
    {
        VmInfo vm = GetVm(name);
        VmConfiguration config = vm.Configuration;
        var steps = new List<string>();
        VmConfiguration next = NestedConfiguration(config, options);
        if (next.ExposeVirtualizationExtensions != config.ExposeVirtualizationExtensions)
        {
            steps.Add("expose virtualization extensions (ExposeVirtualizationExtensions = True)");
        }

        if (next.Memory.DynamicMemoryEnabled != config.Memory.DynamicMemoryEnabled)
        {
            steps.Add("disable Dynamic Memory");
        }

        if (next.Memory.StartupBytes != config.Memory.StartupBytes)
        {
            steps.Add($"raise startup memory from {config.Memory.StartupBytes >> 20} MB to {next.Memory.StartupBytes >> 20} MB");
        }

        foreach (VmNetworkAdapter adapter in config.NetworkAdapters.Where(a => !a.MacAddressSpoofing))
        {
            if (next.NetworkAdapters.Any(a => a.Name == adapter.Name && a.MacAddressSpoofing))
            {
                steps.Add($"turn MAC address spoofing on for adapter '{adapter.Name}'");
            }
        }

        // Only a VM whose settings change is stopped: an already-nested running VM needs nothing.
        if (steps.Count == 0)
        {
            return new NestedEnablePlan(config.Name, []);
        }

        if (vm.State is VmState.Running or VmState.Paused or VmState.Starting or VmState.Stopping)
        {
            steps.Insert(0, $"shut the VM down gracefully (power button, up to {options.ShutdownTimeoutSeconds} s)");
        }

        if (vm.State == VmState.Saved)
        {
            steps.Insert(0, "remove the saved state");
        }

        return new NestedEnablePlan(config.Name, steps);
    }

    /// <summary>
    /// Sets a VM up for nesting as the guide says: saved state removed, VM shut down gracefully, extensions exposed,
    /// Dynamic Memory off, optionally MAC spoofing on and 4 GB startup memory. The settings are one atomic config
    /// write after the shutdown, so a failure leaves either the old settings or all of the new ones.
    /// </summary>
    public NestedEnablePlan EnableNested(string name, NestedEnableOptions options)
    {
        NestedEnablePlan plan = PlanEnableNested(name, options);
        if (plan.NothingToDo)
        {
            return plan;
        }

        VmInfo vm = GetVm(name);
        if (vm.State == VmState.Saved)
        {
            RemoveSavedState(name);
        }

        if (vm.State is VmState.Running or VmState.Paused or VmState.Starting or VmState.Stopping)
        {
            if (vm.State == VmState.Paused)
            {
                Resume(name);
            }

            Stop(name, new StopOptions { TimeoutSeconds = options.ShutdownTimeoutSeconds });
        }

        Change(name, (config, state, _) =>
        {
            VmStateMachine.EnsureOff(state, config.Name, "ExposeVirtualizationExtensions");
            return NestedConfiguration(config, options);
        });
        return plan;
    }

    private static VmConfiguration NestedConfiguration(VmConfiguration config, NestedEnableOptions options)
    {
        ulong startup = options.RaiseMemoryToRecommended
            ? Math.Max(config.Memory.StartupBytes, NestedRules.RecommendedStartupBytes)
            : config.Memory.StartupBytes;
        VmMemorySettings memory = config.Memory.DynamicMemoryEnabled || startup != config.Memory.StartupBytes
            ? VmValidation.ApplyMemory(config.Name, config.Memory with { DynamicMemoryEnabled = false }, new MemoryChanges { StartupBytes = startup })
            : config.Memory;
        return config with
        {
            ExposeVirtualizationExtensions = true,
            Memory = memory,
            NetworkAdapters = options.EnableMacSpoofing
                ? [.. config.NetworkAdapters.Select(a => a with { MacAddressSpoofing = true })]
                : config.NetworkAdapters,
        };
    }
}
