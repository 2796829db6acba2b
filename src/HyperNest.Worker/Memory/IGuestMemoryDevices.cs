namespace HyperNest.Worker.Memory;

/// <summary>
/// The devices that change how much memory a running guest has: the balloon takes memory below what it booted with
/// (virtio-balloon), hot-plugged blocks add memory above it (virtio-mem).
/// </summary>
internal interface IGuestMemoryDevices
{
    /// <summary>RAM the guest booted with, in bytes.</summary>
    ulong BootBytes { get; }

    /// <summary>How far above <see cref="BootBytes"/> the guest can grow (the hot-plug region), in bytes; 0 without one.</summary>
    ulong HotplugCapacityBytes { get; }

    /// <summary>What the guest holds now: boot memory plus plugged blocks, less what its balloon holds.</summary>
    ulong AssignedBytes { get; }

    /// <summary>Memory the guest cannot give (<see cref="GuestDemand"/>, from its latest balloon statistics); null without fresh ones.</summary>
    ulong? DemandBytes { get; }

    /// <summary>The guest's balloon driver is running (it can give memory back).</summary>
    bool BalloonReady { get; }

    /// <summary>The guest's virtio-mem driver is running (it can take hot-plugged blocks).</summary>
    bool HotplugReady { get; }

    /// <summary>Moves the guest toward <paramref name="targetBytes"/>: blocks above boot memory, the balloon below it.</summary>
    void Apply(ulong targetBytes);

    /// <summary>Asks the guest for fresh statistics (they arrive with its next balloon report).</summary>
    void RequestStatistics();
}
