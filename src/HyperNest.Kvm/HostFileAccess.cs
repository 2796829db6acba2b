using System.Net.Sockets;
using System.Runtime.InteropServices;
using static System.IO.UnixFileMode;

namespace HyperNest.Kvm;

/// <summary>
/// Who may use the directories, files and sockets HyperNest makes: their owner only (0700, 0600, 0600), or also the
/// members of one group, who may list the directories, read the files and connect to the sockets (0750, 0640, 0660).
/// Everything is made owner-only, given to the group, then opened to it: at no moment is anything wider than its
/// final mode, whatever the umask.
/// </summary>
/// <param name="GroupId">The group that shares access; null for the owner alone.</param>
public sealed record HostFileAccess(uint? GroupId)
{
    private const UnixFileMode OwnerAll = UserRead | UserWrite | UserExecute;
    private const UnixFileMode OwnerReadWrite = UserRead | UserWrite;

    /// <summary>The umask that makes a socket 0600: everything but the owner's read and write.</summary>
    private const UnixFileMode AllButOwnerReadWrite = UserExecute | GroupRead | GroupWrite | GroupExecute | OtherRead | OtherWrite | OtherExecute;

    /// <summary>umask(2) is the process's: binds that narrow it take turns.</summary>
    private static readonly Lock UmaskGate = new();

    public static HostFileAccess OwnerOnly { get; } = new((uint?)null);

    public UnixFileMode DirectoryMode => GroupId is null ? OwnerAll : OwnerAll | GroupRead | GroupExecute;

    public UnixFileMode FileMode => GroupId is null ? OwnerReadWrite : OwnerReadWrite | GroupRead;

    /// <summary>connect(2) to a Unix socket needs write permission on it.</summary>
    public UnixFileMode SocketMode => GroupId is null ? OwnerReadWrite : OwnerReadWrite | GroupRead | GroupWrite;

    /// <summary>
    /// May the peer of a socket this process serves use it: root, this process's own user, or a member of the group.
    /// The same people the socket's file mode lets connect, checked again at the door.
    /// </summary>
    public bool Admits(PeerCredentials peer) =>
        peer.UserId == 0 || peer.UserId == ProcessCredentials.EffectiveUserId || (GroupId is { } group && peer.IsInGroup(group));

    /// <summary>The mode an entry of this kind has; null for kinds HyperNest does not make (links, devices, FIFOs).</summary>
    public UnixFileMode? ModeOf(FileStatus status) =>
        status.IsDirectory ? DirectoryMode : status.IsRegularFile ? FileMode : status.IsSocket ? SocketMode : null;

    /// <summary>
    /// Makes the directory when it is missing (its missing parents as the umask makes them), else conforms it
    /// (<see cref="Conform"/>). Returns its full path. Throws <see cref="UnauthorizedAccessException"/> or
    /// <see cref="IOException"/> when it cannot be made, <see cref="KvmException"/> when it cannot be given its group.
    /// </summary>
    public string CreateDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("file modes are POSIX");
        }

        path = Path.GetFullPath(path);
        if (Directory.Exists(path))
        {
            Conform(path);
            return path;
        }

        if (Path.GetDirectoryName(path) is { } parent)
        {
            Directory.CreateDirectory(parent);
        }

        Directory.CreateDirectory(path, OwnerAll);
        Give(path, DirectoryMode);
        return path;
    }

    /// <summary>
    /// Opens a file this process owns (or will): a new one is made 0600; new or not, it then gets the group and
    /// <see cref="FileMode"/>. Throws as <see cref="FileStream"/> does, and <see cref="KvmException"/> when the group or
    /// mode cannot be set.
    /// </summary>
    public FileStream OpenFile(string path, FileMode mode, FileAccess access = FileAccess.Write, FileShare share = FileShare.Read, int bufferSize = 4096)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("file modes are POSIX");
        }

        var stream = new FileStream(path, new FileStreamOptions
        {
            Mode = mode,
            Access = access,
            Share = share,
            BufferSize = bufferSize,
            UnixCreateMode = OwnerReadWrite,
        });
        try
        {
            Apply(stream.SafeFileHandle, path);
            return stream;
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>Gives an open file (made 0600 or narrower) the group, then <see cref="FileMode"/> (fchown, fchmod).</summary>
    public void Apply(SafeHandle handle, string path)
    {
        bool added = false;
        handle.DangerousAddRef(ref added);
        try
        {
            int fd = (int)handle.DangerousGetHandle();
            if (GroupId is { } group && Interop.Fchown(fd, Interop.NoChange, group) != 0)
            {
                throw KvmException.FromLastError($"fchown {path}");
            }

            if (Interop.Fchmod(fd, (uint)FileMode) != 0)
            {
                throw KvmException.FromLastError($"fchmod {path}");
            }
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }

    /// <summary>
    /// Binds <paramref name="socket"/> to a Unix socket file with <see cref="SocketMode"/>: made 0600 (the umask
    /// narrowed around bind(2)), then given the group and its mode.
    /// </summary>
    public void Bind(Socket socket, UnixDomainSocketEndPoint endPoint)
    {
        lock (UmaskGate)
        {
            uint previous = Interop.Umask((uint)AllButOwnerReadWrite);
            try
            {
                socket.Bind(endPoint);
            }
            finally
            {
                Interop.Umask(previous);
            }
        }

        Give(endPoint.ToString(), SocketMode);
    }

    /// <summary>
    /// Brings an existing entry to this access: its mode by kind (<see cref="ModeOf"/>) and its group. Left alone: what
    /// is missing, symbolic links and other kinds, and entries another user owns (unless this process is root).
    /// Narrows before it regroups, so no group ever gets more than the final mode. Returns whether the mode was wider.
    /// </summary>
    public bool Conform(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("file modes are POSIX");
        }

        if (FileStatus.Read(path) is not { } status || ModeOf(status) is not { } mode)
        {
            return false;
        }

        uint self = ProcessCredentials.EffectiveUserId;
        if (self != 0 && status.UserId != self)
        {
            return false;
        }

        bool wider = (status.Permissions & ~mode) != 0;
        if (GroupId is { } group && status.GroupId != group)
        {
            Give(path, mode);
        }
        else if (status.Permissions != mode)
        {
            File.SetUnixFileMode(path, mode);
        }

        return wider;
    }

    /// <summary>Owner-only first, then the group, then the final mode.</summary>
    private void Give(string path, UnixFileMode mode)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("file modes are POSIX");
        }

        File.SetUnixFileMode(path, mode & OwnerAll);
        if (GroupId is { } group && Interop.Lchown(path, Interop.NoChange, group) != 0)
        {
            throw KvmException.FromLastError($"chown {path}");
        }

        File.SetUnixFileMode(path, mode);
    }
}
