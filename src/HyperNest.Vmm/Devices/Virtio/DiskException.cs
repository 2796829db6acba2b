namespace HyperNest.Vmm.Devices.Virtio;

/// <summary>A disk image that cannot be used as a virtio-blk backend (missing, unreadable, locked).</summary>
public sealed class DiskException(string path, string reason, Exception? innerException = null)
    : Exception($"disk image '{path}': {reason}", innerException)
{
    public string Path { get; } = path;
}
