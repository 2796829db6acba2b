namespace HyperNest.Vmm.Disks;

/// <summary>
/// A virtual disk as a device sees it: <see cref="VirtualSize"/> bytes read and written at byte offsets, whatever the
/// file format underneath. Data moves between the file and the caller's span (guest RAM for virtio-blk) without an
/// intermediate copy where the format allows. Not thread-safe: one device queue drives one image.
/// </summary>
public interface IDiskImage : IDisposable
{
    /// <summary>The file this image was opened from, as given.</summary>
    string Path { get; }

    /// <summary>The disk's size in bytes as the guest sees it (a qcow2 header's size field; a raw file's length).</summary>
    long VirtualSize { get; }

    /// <summary>Opened for reading only: <see cref="Write"/> throws <see cref="InvalidOperationException"/>.</summary>
    bool IsReadOnly { get; }

    /// <summary>
    /// Fills <paramref name="destination"/> with the disk's bytes from <paramref name="offset"/>; the range must lie
    /// inside [0, <see cref="VirtualSize"/>). Throws <see cref="IOException"/> when the file fails and
    /// <see cref="HyperNest.Vmm.Devices.Virtio.DiskException"/> when its metadata turns out to be corrupt.
    /// </summary>
    void Read(Span<byte> destination, long offset);

    /// <summary>Writes <paramref name="source"/> at <paramref name="offset"/> (inside the disk); same errors as Read.</summary>
    void Write(ReadOnlySpan<byte> source, long offset);

    /// <summary>Makes every completed write durable (fsync), data before the metadata that refers to it.</summary>
    void Flush();
}
