namespace HyperNest.Vmm.Devices.Virtio;

/// <summary>
/// The memory device's own state between a save and a restore (virtio 1.2 §5.15): the size the host asked for and
/// which blocks are plugged. The plugged blocks' contents are guest memory, in the saved memory.
/// </summary>
/// <param name="RequestedSize">requested_size in bytes (whole 2 MiB blocks).</param>
/// <param name="Plugged">The plugged-block bitmap: bit n of word n / 64 for block n.</param>
public sealed record MemState(ulong RequestedSize, IReadOnlyList<ulong> Plugged);
