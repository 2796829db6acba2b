using Microsoft.Win32.SafeHandles;

namespace HyperNest.Kvm;

/// <summary>
/// The size of what a file handle opens, block devices included: fstat's st_size (which .NET's length reports) is 0
/// for a block device, so its size comes from seeking to the end (lseek(2), SEEK_END), as for any file.
/// </summary>
public static class FileSize
{
    /// <summary>Bytes from the start to the end; throws <see cref="KvmException"/> when the handle cannot seek.</summary>
    public static long Of(SafeFileHandle file)
    {
        long length = RandomAccess.GetLength(file);
        if (length > 0)
        {
            return length;
        }

        long end = Interop.LSeek(file, 0, Interop.SEEK_END);
        return end >= 0 ? end : throw KvmException.FromLastError("lseek");
    }
}
