namespace HyperNest.Vmm.Devices.Virtio;

/// <summary>
/// What a virtio-balloon queue carries (virtio 1.2 §5.5.2: inflateq, deflateq, statsq, free_page_vq, reporting_vq).
/// Which index carries which is fixed by the negotiated features: see <see cref="Balloon.QueuesFor"/>.
/// </summary>
public enum BalloonQueue
{
    /// <summary>An index beyond the negotiated queues: its buffers are returned unused.</summary>
    None,
    Inflate,
    Deflate,
    Statistics,
    FreePageHint,
    Reporting,
}
