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

    /// <summary>
    /// The guest may take ballooned pages back when it runs out of memory (VIRTIO_BALLOON_F_DEFLATE_ON_OOM): right for
    /// Dynamic Memory, where the balloon follows demand. Off for a static VM, so that a runtime resize below its boot
    /// memory shows in the guest's MemTotal and stays.
    /// </summary>
    public bool BalloonDeflateOnOom { get; init; } = true;

    /// <summary>
    /// Bytes of hot-pluggable memory beyond <see cref="MemoryBytes"/>: a virtio-mem device (virtio 1.2 §5.15) whose
    /// region the guest plugs and unplugs in 2 MiB blocks at runtime. 0 (the default) attaches no device. A multiple
    /// of 128 MiB, at most <see cref="MaxHotplugMemoryBytes"/>; not in the e820 map. The guest needs a virtio-mem
    /// driver (Linux 5.8 or later, CONFIG_VIRTIO_MEM); HyperNest adds memhp_default_state=online to its command line
    /// so that the memory it plugs is used at once.
    /// </summary>
    public ulong HotplugMemoryBytes { get; init; }

    /// <summary>
    /// How much of <see cref="HotplugMemoryBytes"/> the guest is asked to plug from boot (requested_size, rounded up
    /// to 2 MiB blocks): its memory is then boot RAM plus this once the driver has plugged it.
    /// </summary>
    public ulong HotplugMemoryRequestedBytes { get; init; }

    /// <summary>
    /// The largest hot-pluggable region: 1 TiB, far beyond what a guest here needs, while its bitmap (64 KiB) and
    /// address-space reservation stay trivial. (The region's end must also lie within the guest's physical address
    /// width, which is not checked yet.)
    /// </summary>
    public const ulong MaxHotplugMemoryBytes = 1UL << 40;

    /// <summary>Why the hot-pluggable memory settings cannot work, in one line; null when they can.</summary>
    internal string? HotplugMemoryProblem()
    {
        if (HotplugMemoryBytes % Memory.MemoryLayout.HotplugAlignment != 0)
        {
            return $"hot-pluggable memory of {ByteSize.Format(HotplugMemoryBytes)} is not a multiple of 128 MiB, the block size a guest adds memory in";
        }

        if (HotplugMemoryBytes > MaxHotplugMemoryBytes)
        {
            return $"hot-pluggable memory of {ByteSize.Format(HotplugMemoryBytes)} is more than HyperNest allows ({ByteSize.Format(MaxHotplugMemoryBytes)})";
        }

        return HotplugMemoryRequestedBytes > HotplugMemoryBytes
            ? $"memory to plug at boot ({ByteSize.Format(HotplugMemoryRequestedBytes)}) is more than the hot-pluggable memory ({ByteSize.Format(HotplugMemoryBytes)})"
            : null;
    }
}
