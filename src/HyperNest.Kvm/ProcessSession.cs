namespace HyperNest.Kvm;

/// <summary>
/// Detaches the calling process from the terminal and the session of whoever started it, as a daemon does
/// (setsid(2)): a VM worker must outlive the command that launched it and never receive its terminal's signals.
/// </summary>
public static class ProcessSession
{
    /// <summary>
    /// Starts a new session; stdin becomes /dev/null, stdout and stderr append to <paramref name="logPath"/>, which
    /// gets <paramref name="logAccess"/>'s group and file mode (made 0600 when missing).
    /// </summary>
    public static void Detach(string logPath, HostFileAccess logAccess)
    {
        // Fails with EPERM only for a process group leader, which a freshly spawned child is not.
        if (Interop.Setsid() < 0)
        {
            throw KvmException.FromLastError("setsid");
        }

        Redirect("/dev/null", Interop.O_RDONLY, 0, null);
        const int append = 0x400;
        Redirect(logPath, Interop.O_RDWR | Interop.O_CREAT | append, 1, logAccess);
        Redirect(logPath, Interop.O_RDWR | Interop.O_CREAT | append, 2, null);
    }

    private static void Redirect(string path, int flags, int target, HostFileAccess? access)
    {
        int fd = Interop.Open(path, flags | Interop.O_CLOEXEC, (int)(UnixFileMode.UserRead | UnixFileMode.UserWrite));
        if (fd < 0)
        {
            throw KvmException.FromLastError($"open {path}");
        }

        using var handle = new FileDescriptorHandle(fd);
        access?.Apply(handle, path);
        // dup2 clears FD_CLOEXEC on the copy: the target stays open.
        if (Interop.Dup2(fd, target) < 0)
        {
            throw KvmException.FromLastError($"dup2 {path}");
        }
    }
}
