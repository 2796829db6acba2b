using HyperNest.Kvm;
using Microsoft.Win32.SafeHandles;

namespace HyperNest.Vmm.Disks;

/// <summary>
/// A raw image: the file's bytes are the disk's, so a read or write is one pread/pwrite straight between the file and
/// the caller's span (guest RAM), no copy. A block device works too (its size comes from seeking to its end).
/// </summary>
public sealed class RawDiskImage : IDiskImage
{
    private readonly SafeFileHandle _file;

    /// <summary>Opens the file; throws <see cref="HyperNest.Vmm.Devices.Virtio.DiskException"/> if it cannot be.</summary>
    public RawDiskImage(string path, bool readOnly = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        _file = ImageFile.Open(path, readOnly);
        Path = path;
        IsReadOnly = readOnly;
        VirtualSize = FileSize.Of(_file);
    }

    public string Path { get; }

    public long VirtualSize { get; }

    public bool IsReadOnly { get; }

    public void Read(Span<byte> destination, long offset) => ImageFile.ReadFully(_file, destination, offset);

    public void Write(ReadOnlySpan<byte> source, long offset)
    {
        if (IsReadOnly)
        {
            throw new InvalidOperationException($"disk image '{Path}' is open read-only");
        }

        RandomAccess.Write(_file, source, offset);
    }

    public void Flush()
    {
        if (!IsReadOnly)
        {
            RandomAccess.FlushToDisk(_file);
        }
    }

    public void Dispose() => _file.Dispose();
}
