using System.Runtime.InteropServices;

namespace HyperNest.Kvm;

/// <summary>poll(2) for readability of one or two descriptors: a data source and the eventfd that wakes its reader.</summary>
public static unsafe class FdPoll
{
    /// <summary>
    /// Blocks until <paramref name="first"/> or <paramref name="second"/> (when given) is readable, or the timeout
    /// passes (-1: no timeout). Returns which are readable; both false after a timeout or a signal (EINTR). A hang-up
    /// or error on a descriptor counts as readable, so its reader sees the failure instead of waiting forever.
    /// </summary>
    public static (bool First, bool Second) WaitReadable(SafeHandle first, SafeHandle? second, int timeoutMilliseconds = Timeout.Infinite)
    {
        ArgumentNullException.ThrowIfNull(first);
        bool firstAdded = false, secondAdded = false;
        try
        {
            first.DangerousAddRef(ref firstAdded);
            second?.DangerousAddRef(ref secondAdded);
            Interop.PollFd* fds = stackalloc Interop.PollFd[2];
            fds[0] = new Interop.PollFd { Fd = (int)first.DangerousGetHandle(), Events = Interop.POLLIN };
            fds[1] = new Interop.PollFd { Fd = second is null ? -1 : (int)second.DangerousGetHandle(), Events = Interop.POLLIN };
            int ready = Interop.Poll(fds, second is null ? 1u : 2u, timeoutMilliseconds);
            if (ready < 0)
            {
                int errno = Marshal.GetLastPInvokeError();
                return errno == Errno.EINTR ? (false, false) : throw new KvmException("poll", errno);
            }

            return (fds[0].Revents != 0, second is not null && fds[1].Revents != 0);
        }
        finally
        {
            if (firstAdded)
            {
                first.DangerousRelease();
            }

            if (secondAdded)
            {
                second!.DangerousRelease();
            }
        }
    }
}
