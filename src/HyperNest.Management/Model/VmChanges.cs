using HyperNest.Management.Accelerators;

namespace HyperNest.Management.Model;

/// <summary>Set-VM's parameters; null means "leave as is". Applied whole or not at all.</summary>
public sealed record VmChanges
{
    /// <summary>-ProcessorCount: only while the VM is Off (Hyper-V's rule; Set-VMProcessor's checks apply).</summary>
    public int? ProcessorCount { get; init; }

    /// <summary>-MemoryStartupBytes: only while the VM is Off (Set-VMMemory's checks apply).</summary>
    public ulong? MemoryStartupBytes { get; init; }

    /// <summary>-DynamicMemory (true) or -StaticMemory (false).</summary>
    public bool? DynamicMemoryEnabled { get; init; }

    public ulong? MemoryMinimumBytes { get; init; }

    public ulong? MemoryMaximumBytes { get; init; }

    /// <summary>-Notes: free text; empty clears them.</summary>
    public string? Notes { get; init; }

    public StartAction? AutomaticStartAction { get; init; }

    /// <summary>-AutomaticStartDelay, in seconds (0 or more).</summary>
    public int? AutomaticStartDelay { get; init; }

    public StopAction? AutomaticStopAction { get; init; }

    /// <summary>-Accelerator (HyperNest's): only while the VM is Off.</summary>
    public Accelerator? Accelerator { get; init; }

    /// <summary>-NewVMName (Rename-VM -NewName).</summary>
    public string? NewName { get; init; }

    /// <summary>The memory part, as Set-VMMemory takes it.</summary>
    public MemoryChanges Memory => new()
    {
        StartupBytes = MemoryStartupBytes,
        DynamicMemoryEnabled = DynamicMemoryEnabled,
        MinimumBytes = MemoryMinimumBytes,
        MaximumBytes = MemoryMaximumBytes,
    };
}
