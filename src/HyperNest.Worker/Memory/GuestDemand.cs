using HyperNest.Vmm.Devices.Virtio;

namespace HyperNest.Worker.Memory;

/// <summary>
/// A guest's memory demand (Hyper-V's MemoryDemand) from its balloon statistics (virtio 1.2 §5.5.6.4): what it uses
/// of its own total (VIRTIO_BALLOON_S_MEMTOT less VIRTIO_BALLOON_S_AVAIL, both from one report, so they agree even
/// while blocks are still being plugged or taken), plus the share of boot memory its kernel keeps out of that total.
/// Measuring against the host's assigned figure instead would count blocks the guest has not onlined yet as demand,
/// and demand would chase its own growth.
/// </summary>
internal static class GuestDemand
{
    /// <summary>
    /// The demand in bytes, or null when the report lacks total or available memory. <paramref name="loanedToBalloonBytes"/>:
    /// pages the guest keeps counting in its total although its balloon holds them (DEFLATE_ON_OOM), else 0.
    /// <paramref name="kernelBytes"/>: <see cref="KernelShare"/>.
    /// </summary>
    public static ulong? Of(BalloonStatistics report, ulong loanedToBalloonBytes, ulong kernelBytes)
    {
        if (report is not { TotalMemory: { } total, AvailableMemory: { } available })
        {
            return null;
        }

        ulong unavailable = total > available ? total - available : 0;
        ulong used = unavailable > loanedToBalloonBytes ? unavailable - loanedToBalloonBytes : 0;
        return used + kernelBytes;
    }

    /// <summary>
    /// Boot memory the guest's kernel keeps out of its total (its image, page tables, reserved ranges), in bytes: boot
    /// memory less the total of a report taken before anything was plugged or ballooned. Null without a total.
    /// </summary>
    public static ulong? KernelShare(ulong bootBytes, BalloonStatistics report) =>
        report.TotalMemory is { } total ? (bootBytes > total ? bootBytes - total : 0) : null;
}
