using HyperNest.Kvm;
using HyperNest.Vmm.Devices.Virtio;
using Microsoft.Win32.SafeHandles;

namespace HyperNest.Vmm.Disks;

/// <summary>Opening an image file (locked, with errors in a user's words) and reading it whole-span.</summary>
internal static class ImageFile
{
    /// <summary>Opens the file; a writer takes an exclusive lock, a reader a shared one (flock, through FileShare).</summary>
    public static SafeFileHandle Open(string path, bool readOnly)
    {
        if (Directory.Exists(path))
        {
            throw new DiskException(path, "is a directory");
        }

        if (!File.Exists(path))
        {
            throw new DiskException(path, "no such file");
        }

        // Opening a FIFO blocks until a writer comes; a character device or socket holds no disk either.
        if (FileStatus.ReadTarget(path) is not ({ IsRegularFile: true } or { IsBlockDevice: true }))
        {
            throw new DiskException(path, "is neither a regular file nor a block device");
        }

        try
        {
            return readOnly
                ? File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read)
                : File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new DiskException(path, readOnly ? "permission denied" : "permission denied (attach it with ,readonly?)", e);
        }
        catch (IOException e)
        {
            // The flock taken above is the usual cause: another VM (or this one) has the image open for writing.
            throw new DiskException(path, $"is in use by another VM or cannot be opened ({e.UserMessage()})", e);
        }
    }

    /// <summary>Reads until <paramref name="destination"/> is full; past the end of the file reads as zeros.</summary>
    public static void ReadFully(SafeFileHandle file, Span<byte> destination, long offset)
    {
        while (!destination.IsEmpty)
        {
            int read = RandomAccess.Read(file, destination, offset);
            if (read == 0)
            {
                destination.Clear();
                return;
            }

            destination = destination[read..];
            offset += read;
        }
    }
}
