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

    /// <summary>Blocks until the lock is held. Creates the lock file (mode 0644) when missing.</summary>
    public static FileLock Acquire(string path) => TryAcquire(path, wait: true)!;

    /// <summary>Takes the lock if nobody holds it; null otherwise.</summary>
    public static FileLock? TryAcquire(string path) => TryAcquire(path, wait: false);

    private static FileLock? TryAcquire(string path, bool wait)
    {
        int fd = Interop.Open(path, Interop.O_RDWR | Interop.O_CREAT | Interop.O_CLOEXEC, 0x1A4);
        if (fd < 0)
        {
            throw KvmException.FromLastError($"open {path}");
        }

        var handle = new FileDescriptorHandle(fd);
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

    /// <summary>Closing the descriptor releases the lock.</summary>
    public void Dispose() => _handle.Dispose();
}
