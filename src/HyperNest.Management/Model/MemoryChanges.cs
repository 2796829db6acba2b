namespace HyperNest.Management.Model;

/// <summary>Set-VMMemory's parameters; null means "leave as is".</summary>
public sealed record MemoryChanges
{
    public ulong? StartupBytes { get; init; }

    public bool? DynamicMemoryEnabled { get; init; }

    public ulong? MinimumBytes { get; init; }

    public ulong? MaximumBytes { get; init; }

    public int? Buffer { get; init; }

    public int? Priority { get; init; }

    public bool IsEmpty => this == new MemoryChanges();
}
