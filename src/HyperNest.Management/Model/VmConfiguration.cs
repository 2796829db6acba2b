using HyperNest.Management.Accelerators;

namespace HyperNest.Management.Model;

/// <summary>Everything the store keeps about one VM (its config.json). Changed by copy (<c>with</c>), saved whole.</summary>
public sealed record VmConfiguration
{
    /// <summary>The newest config.json layout this HyperNest writes and reads.</summary>
    public const int CurrentSchemaVersion = 1;

    public int SchemaVersion { get; init; } = CurrentSchemaVersion;

    public required Guid Id { get; init; }

    public required string Name { get; init; }

    public DateTimeOffset CreationTime { get; init; }

    public int ProcessorCount { get; init; } = 1;

    public bool ExposeVirtualizationExtensions { get; init; }

    // `?? default` in init: a member a file or message leaves out takes its default, not null (System.Text.Json's
    // generated code sets every init-only member, passing null for a missing one).
    public VmMemorySettings Memory { get; init => field = value ?? new(); } = new();

    public IReadOnlyList<VmNetworkAdapter> NetworkAdapters { get; init => field = value ?? []; } = [];

    public IReadOnlyList<VmHardDiskDrive> HardDrives { get; init => field = value ?? []; } = [];

    public VmBootSource Boot { get; init => field = value ?? new(); } = new();

    /// <summary>Where the VM's vCPUs run: auto (kvm when it works here, else the emulated host), kvm or emulated.</summary>
    public Accelerator Accelerator { get; init; } = Accelerator.Auto;

    /// <summary>Free text kept with the VM (Set-VM -Notes); null when there are none.</summary>
    public string? Notes { get; init; }

    /// <summary>What the VM does when the host starts; Hyper-V's default, StartIfRunning.</summary>
    public StartAction AutomaticStartAction { get; init; } = StartAction.StartIfRunning;

    /// <summary>Seconds after the host starts before the automatic start, 0 or more.</summary>
    public int AutomaticStartDelay { get; init; }

    /// <summary>What the running VM undergoes when the host shuts down; Hyper-V's default, Save.</summary>
    public StopAction AutomaticStopAction { get; init; } = StopAction.Save;
}
