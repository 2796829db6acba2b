using HyperNest.Management.Model;

namespace HyperNest.PowerShell.Objects;

/// <summary>What Get-VMMemory writes (Hyper-V's VMMemory): amounts in bytes, Buffer in percent, Priority 0–100.</summary>
public sealed class VMMemory
{
    public required string VMName { get; init; }

    public required Guid VMId { get; init; }

    public required bool DynamicMemoryEnabled { get; init; }

    public required long Startup { get; init; }

    public required long Minimum { get; init; }

    public required long Maximum { get; init; }

    public required int Buffer { get; init; }

    public required int Priority { get; init; }

    public static VMMemory From(VmInfo vm)
    {
        VmMemorySettings memory = vm.Configuration.Memory;
        return new VMMemory
        {
            VMName = vm.Name,
            VMId = vm.Id,
            DynamicMemoryEnabled = memory.DynamicMemoryEnabled,
            Startup = (long)memory.StartupBytes,
            Minimum = (long)memory.MinimumBytes,
            Maximum = (long)memory.MaximumBytes,
            Buffer = memory.Buffer,
            Priority = memory.Priority,
        };
    }
}
