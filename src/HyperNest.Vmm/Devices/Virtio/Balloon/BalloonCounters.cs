namespace HyperNest.Vmm.Devices.Virtio;

/// <summary>
/// What a virtio-balloon has done since the VM started (they survive a driver reset). Pages are 4 KiB balloon pages.
/// </summary>
/// <param name="InflatedPages">Pages the driver put in the balloon, which went back to the host.</param>
/// <param name="DeflatedPages">Pages the driver took back out of the balloon.</param>
/// <param name="ReportedPages">Pages the driver reported free (free page reporting): back to the host.</param>
/// <param name="RefusedPfns">Inflate or deflate page numbers that are not guest RAM (or a trailing partial one):
/// skipped.</param>
/// <param name="RefusedRanges">Reported free ranges that are not whole 4 KiB pages of guest RAM: skipped.</param>
/// <param name="RefusedRequests">Chains that could not be read at all, and statistics reports that were not whole
/// entries: returned untouched.</param>
public readonly record struct BalloonCounters(
    long InflatedPages,
    long DeflatedPages,
    long ReportedPages,
    long RefusedPfns,
    long RefusedRanges,
    long RefusedRequests);
