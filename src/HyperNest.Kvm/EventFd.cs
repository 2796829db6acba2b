namespace HyperNest.Kvm;

/// <summary>A Linux eventfd: the doorbell KVM's irqfd and ioeventfd use.</summary>
public sealed unsafe class EventFd : IDisposable
{
    public EventFd(bool nonBlocking = false)
    {
        int fd = Interop.EventFd(0, Interop.EFD_CLOEXEC | (nonBlocking ? Interop.EFD_NONBLOCK : 0));
        if (fd < 0)
        {
            throw KvmException.FromLastError("eventfd");
        }

        Handle = new FileDescriptorHandle(fd);
    }

    public FileDescriptorHandle Handle { get; }

    /// <summary>Adds one to the counter (wakes a waiter, or injects an irqfd interrupt).</summary>
    public void Signal()
    {
        ObjectDisposedException.ThrowIf(Handle.IsClosed, this);
        ulong one = 1;
        if (Interop.Write(Handle.Fd, &one, sizeof(ulong)) != sizeof(ulong))
        {
            throw KvmException.FromLastError("eventfd write");
        }
    }

    /// <summary>Blocks until the counter is non-zero, then returns and clears it (0 if non-blocking and idle).</summary>
    public ulong Wait()
    {
        ObjectDisposedException.ThrowIf(Handle.IsClosed, this);
        ulong value = 0;
        while (true)
        {
            nint n = Interop.Read(Handle.Fd, &value, sizeof(ulong));
            if (n == sizeof(ulong))
            {
                return value;
            }

            int errno = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
            if (errno == Errno.EINTR)
            {
                continue;
            }

            if (errno == Errno.EAGAIN)
            {
                return 0;
            }

            throw new KvmException("eventfd read", errno);
        }
    }

    public void Dispose() => Handle.Dispose();
}
