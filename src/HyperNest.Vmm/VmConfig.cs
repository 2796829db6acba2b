namespace HyperNest.Vmm;

/// <summary>What one VM is made of. Paths are validated when the VM is built, each failure a one-line message.</summary>
public sealed record VmConfig
{
    public const ulong DefaultMemoryBytes = 512UL * 1024 * 1024;

    public ulong MemoryBytes { get; init; } = DefaultMemoryBytes;

    public int VcpuCount { get; init; } = 1;

    /// <summary>A bzImage path; null boots the built-in guest.</summary>
    public string? KernelPath { get; init; }

    public string? InitrdPath { get; init; }

    /// <summary>Extra kernel arguments; HyperNest adds the console and the virtio-mmio devices itself.</summary>
    public string? KernelArguments { get; init; }

    public IReadOnlyList<DiskConfig> Disks { get; init; } = [];

    /// <summary>The VM's network adapters, in its adapter order, which is also the guest's virtio-net order.</summary>
    public IReadOnlyList<NetworkAdapterConfig> NetworkAdapters { get; init; } = [];

    /// <summary>Give the guest the host's VMX/SVM (nested virtualization).</summary>
    public bool ExposeVirtualizationExtensions { get; init; }

    public bool AttachRng { get; init; } = true;

    /// <summary>A virtio-balloon (<see cref="VirtualMachine.Balloon"/>): the host can take memory back from the guest.</summary>
    public bool AttachBalloon { get; init; } = true;
}
