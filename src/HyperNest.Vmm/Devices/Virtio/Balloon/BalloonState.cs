namespace HyperNest.Vmm.Devices.Virtio;

/// <summary>
/// The memory balloon's own state between a save and a restore (virtio 1.2 §5.5): the size the host asked for, the
/// size the driver reported, and the statistics buffer the device holds until it wants a new report. The pages in the
/// balloon are not here: they are guest memory the host gave back, and stay given back in the saved memory.
/// </summary>
/// <param name="NumPages">num_pages: the balloon size the host asked for, in 4 KiB pages.</param>
/// <param name="Actual">actual: the balloon size the driver last reported, in 4 KiB pages.</param>
/// <param name="HeldStatistics">The head index of the stats buffer the device holds (§5.5.6.3), or -1.</param>
public sealed record BalloonState(uint NumPages, uint Actual, int HeldStatistics);
