namespace HyperNest.Kvm;

/// <summary>
/// fsync(2) on a directory: makes a rename or a new entry in it durable. .NET cannot open a directory as a file, so
/// this opens it with O_DIRECTORY.
/// </summary>
public static class DirectorySync
{
    public static void Flush(string directory)
    {
        int fd = Interop.Open(directory, Interop.O_RDONLY | Interop.O_DIRECTORY | Interop.O_CLOEXEC);
        if (fd < 0)
        {
            throw KvmException.FromLastError($"open {directory}");
        }

        using var handle = new FileDescriptorHandle(fd);
        if (Interop.Fsync(fd) != 0)
        {
            throw KvmException.FromLastError($"fsync {directory}");
        }
    }
}
