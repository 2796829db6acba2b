using HyperNest.Kvm;

namespace HyperNest.Management.Model;

/// <summary>Hyper-V's rules for VM settings, with Hyper-V's messages where it has them.</summary>
public static class VmValidation
{
    public const ulong MinimumMemoryBytes = 32 * VmMemorySettings.MiB;

    /// <summary>Hyper-V's limit for a generation 2 VM: 12 TB.</summary>
    public const ulong MaximumMemoryBytes = 12UL << 40;

    public const int MaximumNameLength = 100;

    /// <summary>A name of a VM, an adapter or a virtual switch (<paramref name="what"/>): trimmed, 1-100 characters, no control characters.</summary>
    public static string ValidateName(string name, string what = "virtual machine")
    {
        string trimmed = name.Trim();
        if (trimmed.Length == 0)
        {
            throw new VmValidationException($"The {what} name cannot be empty.");
        }

        // The name is shown as a user can read it back: control characters as '?', a long one cut short.
        string shown = ExceptionMessages.Printable(trimmed, maxLength: 40);
        if (trimmed.Length > MaximumNameLength || trimmed.Any(char.IsControl))
        {
            throw new VmValidationException($"The {what} name '{shown}' is not valid: at most {MaximumNameLength} characters, no control characters.");
        }

        // Kept as given, a name with spaces around it could not be typed back; trimmed silently, it would not be the
        // name asked for.
        if (trimmed.Length != name.Length)
        {
            throw new VmValidationException($"The {what} name '{name}' begins or ends with spaces: give it without them.");
        }

        return trimmed;
    }

    public static int ValidateProcessorCount(string vmName, int count, int hostProcessors)
    {
        if (count < 1)
        {
            throw new VmValidationException($"Failed to modify device 'Processor' of '{vmName}': the processor count must be at least 1.");
        }

        if (count > hostProcessors)
        {
            throw new VmValidationException(
                $"Failed to modify device 'Processor' of '{vmName}': the virtual machine cannot have more virtual processors ({count}) " +
                $"than the host has logical processors ({hostProcessors}).");
        }

        return count;
    }

    public static VmMemorySettings ApplyMemory(string vmName, VmMemorySettings current, MemoryChanges changes)
    {
        VmMemorySettings next = current with
        {
            StartupBytes = changes.StartupBytes ?? current.StartupBytes,
            DynamicMemoryEnabled = changes.DynamicMemoryEnabled ?? current.DynamicMemoryEnabled,
            MinimumBytes = changes.MinimumBytes ?? current.MinimumBytes,
            MaximumBytes = changes.MaximumBytes ?? current.MaximumBytes,
            Buffer = changes.Buffer ?? current.Buffer,
            Priority = changes.Priority ?? current.Priority,
        };
        if (!next.DynamicMemoryEnabled && (changes.MinimumBytes is not null || changes.MaximumBytes is not null || changes.Buffer is not null))
        {
            throw new VmValidationException("Setting maximum, minimum, and buffer settings requires Dynamic Memory to be enabled.");
        }

        CheckAmount(vmName, "startup", next.StartupBytes);
        if (next.Buffer is < 5 or > 2000)
        {
            throw new VmValidationException($"Failed to modify device 'Memory' of '{vmName}': the memory buffer must be between 5 and 2000 percent (got {next.Buffer}).");
        }

        if (next.Priority is < 0 or > 100)
        {
            throw new VmValidationException($"Failed to modify device 'Memory' of '{vmName}': the memory priority must be between 0 and 100 (got {next.Priority}).");
        }

        if (next.DynamicMemoryEnabled)
        {
            CheckAmount(vmName, "minimum", next.MinimumBytes);
            CheckAmount(vmName, "maximum", next.MaximumBytes);
            if (next.MinimumBytes > next.StartupBytes)
            {
                throw new VmValidationException(
                    $"Failed to modify device 'Memory' of '{vmName}': the minimum amount of memory ({next.MinimumBytes >> 20} MB) cannot be greater than the startup amount ({next.StartupBytes >> 20} MB).");
            }

            if (next.MaximumBytes < next.StartupBytes)
            {
                throw new VmValidationException(
                    $"Failed to modify device 'Memory' of '{vmName}': the maximum amount of memory ({next.MaximumBytes >> 20} MB) cannot be less than the startup amount ({next.StartupBytes >> 20} MB).");
            }
        }

        return next;
    }

    public static VmBootSource ApplyBoot(VmBootSource current, BootChanges changes)
    {
        if (changes.BuiltIn && (changes.KernelPath ?? changes.InitrdPath) is not null)
        {
            throw new VmValidationException("--built-in cannot be combined with a kernel or an initrd.");
        }

        VmBootSource next = changes.BuiltIn
            ? new VmBootSource { KernelArguments = changes.KernelArguments ?? current.KernelArguments }
            : current with
            {
                KernelPath = ExistingFile(changes.KernelPath, "kernel") ?? current.KernelPath,
                InitrdPath = ExistingFile(changes.InitrdPath, "initrd") ?? current.InitrdPath,
                KernelArguments = changes.KernelArguments ?? current.KernelArguments,
            };
        if (next.KernelPath is null && next.InitrdPath is not null)
        {
            throw new VmValidationException("An initrd needs a kernel: the built-in guest takes no initrd.");
        }

        return next;
    }

    /// <summary>An absolute path to an existing file, or a validation error naming what it was for.</summary>
    public static string? ExistingFile(string? path, string what)
    {
        if (path is null)
        {
            return null;
        }

        string full = Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            throw new VmValidationException($"The {what} file '{full}' does not exist.");
        }

        return full;
    }

    /// <summary>An amount as it is, never rounded: in MB when whole, else in KB when whole, else in bytes.</summary>
    private static string Exact(ulong bytes) =>
        bytes % (1UL << 20) == 0 ? $"{bytes >> 20} MB" : bytes % 1024 == 0 ? $"{bytes >> 10} KB" : $"{bytes} bytes";

    private static void CheckAmount(string vmName, string which, ulong bytes)
    {
        if (bytes < MinimumMemoryBytes || bytes > MaximumMemoryBytes)
        {
            throw new VmValidationException(
                $"Failed to modify device 'Memory' of '{vmName}': invalid {which} memory amount ({Exact(bytes)}). It must be between 32 MB and 12 TB.");
        }

        if (bytes % (2 * VmMemorySettings.MiB) != 0)
        {
            throw new VmValidationException(
                $"Failed to modify device 'Memory' of '{vmName}': invalid {which} memory amount ({Exact(bytes)}). The amount of memory must be a multiple of 2 MB.");
        }
    }
}
