namespace HyperNest.Vmm.Devices.Virtio;

/// <summary>
/// A disk image that cannot be used (missing, unreadable, locked, a qcow2 file that is corrupt or uses a feature
/// HyperNest does not support). The message is one line: the image's path and <see cref="Reason"/>.
/// </summary>
public sealed class DiskException(string path, string reason, Exception? innerException = null)
    : Exception($"disk image '{path}': {reason}", innerException)
{
    public string Path { get; } = path;

    /// <summary>What is wrong, in a user's words, without the path.</summary>
    public string Reason { get; } = reason;
}
