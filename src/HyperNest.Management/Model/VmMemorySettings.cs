namespace HyperNest.Management.Model;

/// <summary>Memory as Hyper-V's Set-VMMemory describes it: the guest boots with StartupBytes; with Dynamic Memory its worker moves it within Minimum..Maximum (Worker/Memory).</summary>
public sealed record VmMemorySettings
{
    public const ulong MiB = 1UL << 20;

    public ulong StartupBytes { get; init; } = 512 * MiB;

    public bool DynamicMemoryEnabled { get; init; }

    public ulong MinimumBytes { get; init; } = 512 * MiB;

    public ulong MaximumBytes { get; init; } = 1024 * 1024 * MiB;

    /// <summary>Percent of extra memory to keep as a buffer (5–2000).</summary>
    public int Buffer { get; init; } = 20;

    /// <summary>Memory weight relative to other VMs (0–100).</summary>
    public int Priority { get; init; } = 50;
}
