using HyperNest.Management.Model;

namespace HyperNest.Management.Nested;

/// <summary>
/// The nested virtualization guide's rules, in one place both front ends reach through <c>VmManager</c>: what a VM
/// that exposes virtualization extensions needs to start, and what it may not do while it hosts VMs. Operations
/// that do not exist yet (checkpoints, live migration, save) call <see cref="EnsureAllowed"/> first when they come.
/// </summary>
public static class NestedRules
{
    /// <summary>The guide's recommended minimum for a VM that hosts VMs.</summary>
    public const int RecommendedProcessorCount = 2;

    /// <summary>The guide's recommended memory for a VM that hosts VMs.</summary>
    public const ulong RecommendedStartupBytes = 4UL << 30;

    /// <summary>Refuses to start a VM with extensions exposed when its settings or the host cannot provide them.</summary>
    /// <param name="config">The VM.</param>
    /// <param name="hostVerdict">This host's verdict; null when the VM runs on the emulated host, whose KVM always offers SVM.</param>
    public static void EnsureCanStart(VmConfiguration config, Func<NestedHostVerdict>? hostVerdict)
    {
        if (!config.ExposeVirtualizationExtensions)
        {
            return;
        }

        if (config.Memory.DynamicMemoryEnabled)
        {
            throw new VmValidationException(
                $"'{config.Name}' cannot start: a VM that exposes virtualization extensions cannot use Dynamic Memory " +
                "(Set-VMMemory -DynamicMemoryEnabled $false, or hnest vm set-memory --dynamic-memory false).");
        }

        if (hostVerdict?.Invoke().FirstBlockingReason() is { } reason)
        {
            throw new VmOperationException(
                $"'{config.Name}' cannot start with virtualization extensions exposed: {reason}");
        }
    }

    /// <summary>A warning for a start that works but not as the guide recommends, or null.</summary>
    public static string? StartWarning(VmConfiguration config) =>
        config.ExposeVirtualizationExtensions && config.ProcessorCount < RecommendedProcessorCount
            ? $"'{config.Name}' exposes virtualization extensions with {config.ProcessorCount} virtual processor; " +
              $"the guide recommends at least {RecommendedProcessorCount} for a VM that hosts VMs."
            : null;

    /// <summary>Refuses <paramref name="operation"/> on a VM that exposes virtualization extensions.</summary>
    public static void EnsureAllowed(VmConfiguration config, NestedRestrictedOperation operation)
    {
        if (!config.ExposeVirtualizationExtensions)
        {
            return;
        }

        string what = operation switch
        {
            NestedRestrictedOperation.ApplyCheckpointToRunningVm => "apply a checkpoint to a running VM",
            NestedRestrictedOperation.LiveMigration => "live-migrate a VM",
            NestedRestrictedOperation.CheckpointRunningVm => "take a checkpoint of a running VM",
            _ => throw new ArgumentOutOfRangeException(nameof(operation), operation, null),
        };
        throw new VmOperationException(
            $"Cannot {what} that exposes virtualization extensions ('{config.Name}' hosts VMs of its own); " +
            "turn it off first, or disable ExposeVirtualizationExtensions.");
    }
}
