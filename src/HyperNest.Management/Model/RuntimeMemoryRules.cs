namespace HyperNest.Management.Model;

/// <summary>
/// Set-VMMemory on a running VM, as Hyper-V (2016 and later) has it. With Dynamic Memory: Maximum may rise, Minimum may
/// fall, Buffer and Priority may change; Startup and the Dynamic Memory switch may not. Without it, Startup may change
/// both ways (runtime resize). The settings themselves are checked by <see cref="VmValidation.ApplyMemory"/> first.
/// </summary>
public static class RuntimeMemoryRules
{
    /// <exception cref="VmValidationException">The running VM cannot take the change; the message says which rule.</exception>
    public static void Check(string vmName, VmMemorySettings current, VmMemorySettings next)
    {
        string prefix = $"Failed to modify device 'Memory' of '{vmName}': ";
        if (next.DynamicMemoryEnabled != current.DynamicMemoryEnabled)
        {
            throw new VmValidationException(prefix + "Dynamic Memory cannot be turned on or off while the virtual machine is running.");
        }

        if (!next.DynamicMemoryEnabled)
        {
            return;
        }

        if (next.StartupBytes != current.StartupBytes)
        {
            throw new VmValidationException(prefix + "the startup amount of memory of a virtual machine with Dynamic Memory cannot be changed while it is running.");
        }

        if (next.MaximumBytes < current.MaximumBytes)
        {
            throw new VmValidationException(prefix +
                $"the maximum amount of memory cannot be decreased while the virtual machine is running ({next.MaximumBytes >> 20} MB < {current.MaximumBytes >> 20} MB).");
        }

        if (next.MinimumBytes > current.MinimumBytes)
        {
            throw new VmValidationException(prefix +
                $"the minimum amount of memory cannot be increased while the virtual machine is running ({next.MinimumBytes >> 20} MB > {current.MinimumBytes >> 20} MB).");
        }
    }
}
