using System.Runtime.InteropServices;

namespace HyperNest.Kvm;

/// <summary>
/// An exclusive flock(2) on a lock file, held until disposed. Advisory and per open file description, so it
/// serialises processes (and threads that each acquire their own) without any daemon; the kernel drops it when the
/// holder dies. Opened with open(2) directly because .NET's own FileStream takes a non-blocking shared flock that
/// would fail instead of waiting while another process holds the lock.
/// </summary>
public sealed class FileLock : IDisposable
{
    private readonly FileDescriptorHandle _handle;

    private FileLock(FileDescriptorHandle handle, string path)
    {
        _handle = handle;
        Path = path;
    }

    public string Path { get; }

    /// <summary>
    /// Blocks until the lock is held. A missing lock file is made with <paramref name="access"/>'s file mode; an
    /// existing one opens read-only, which is all flock(2) needs, so whoever may read it may take the lock.
    /// </summary>
    public static FileLock Acquire(string path, HostFileAccess access) => TryAcquire(path, access, wait: true)!;

    /// <summary>Takes the lock if nobody holds it; null otherwise.</summary>
    public static FileLock? TryAcquire(string path, HostFileAccess access) => TryAcquire(path, access, wait: false);

    private static FileLock? TryAcquire(string path, HostFileAccess access, bool wait)
    {
        FileDescriptorHandle handle = OpenOrCreate(path, access);
        int fd = handle.Fd;
        int operation = Interop.LOCK_EX | (wait ? 0 : Interop.LOCK_NB);
        while (Interop.Flock(fd, operation) != 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            if (errno == Errno.EINTR)
            {
                continue;
            }

            handle.Dispose();
            if (errno == Errno.EAGAIN && !wait)
            {
                return null;
            }

            throw new KvmException($"flock {path}", errno);
        }

        return new FileLock(handle, path);
    }

    private static FileDescriptorHandle OpenOrCreate(string path, HostFileAccess access)
    {
        while (true)
        {
            int fd = Interop.Open(path, Interop.O_RDONLY | Interop.O_CLOEXEC);
            if (fd >= 0 || Marshal.GetLastPInvokeError() != Errno.ENOENT)
            {
                return fd >= 0 ? new FileDescriptorHandle(fd) : throw KvmException.FromLastError($"open {path}");
            }

            fd = Interop.Open(path, Interop.O_RDONLY | Interop.O_CREAT | Interop.O_EXCL | Interop.O_CLOEXEC, (int)(UnixFileMode.UserRead | UnixFileMode.UserWrite));
            if (fd >= 0)
            {
                var created = new FileDescriptorHandle(fd);
                try
                {
                    access.Apply(created, path);
                    return created;
                }
                catch
                {
                    created.Dispose();
                    throw;
                }
            }

            if (Marshal.GetLastPInvokeError() != Errno.EEXIST)
            {
                throw KvmException.FromLastError($"open {path}");
            }

            // Made by another process between the two opens: open it as theirs.
        }
    }

    /// <summary>Closing the descriptor releases the lock.</summary>
    public void Dispose() => _handle.Dispose();
}
