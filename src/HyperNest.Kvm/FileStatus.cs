using System.Runtime.InteropServices;

namespace HyperNest.Kvm;

/// <summary>What lstat(2) says of a path: its kind, permission bits, owner and group. A symbolic link is itself.</summary>
/// <param name="Mode">st_mode: the kind (S_IFMT bits) and the permission bits.</param>
/// <param name="UserId">The owner's uid.</param>
/// <param name="GroupId">The group's gid.</param>
public readonly record struct FileStatus(uint Mode, uint UserId, uint GroupId)
{
    // inode(7): the S_IFMT field of st_mode.
    private const uint KindMask = 0xF000, DirectoryKind = 0x4000, RegularFileKind = 0x8000, SocketKind = 0xC000, BlockDeviceKind = 0x6000;

    public bool IsDirectory => (Mode & KindMask) == DirectoryKind;

    public bool IsRegularFile => (Mode & KindMask) == RegularFileKind;

    public bool IsSocket => (Mode & KindMask) == SocketKind;

    public bool IsBlockDevice => (Mode & KindMask) == BlockDeviceKind;

    /// <summary>The permission bits, set-user-id, set-group-id and sticky included, without the kind.</summary>
    public UnixFileMode Permissions => (UnixFileMode)(Mode & 0xFFF);

    /// <summary>
    /// The status of what <paramref name="path"/> names once symbolic links are followed (a link to a block device is a
    /// block device); null when nothing is there.
    /// </summary>
    public static FileStatus? ReadTarget(string path) => Read(File.ResolveLinkTarget(path, returnFinalTarget: true)?.FullName ?? path);

    /// <summary>lstat(2) of <paramref name="path"/>; null when nothing is there. Throws <see cref="KvmException"/> otherwise.</summary>
    public static FileStatus? Read(string path)
    {
        if (Interop.LStat(path, out FileStatusBuffer status) == 0)
        {
            return new FileStatus(status.Mode, status.UserId, status.GroupId);
        }

        int errno = Marshal.GetLastPInvokeError();
        return errno is Errno.ENOENT or Errno.ENOTDIR ? null : throw new KvmException($"lstat {path}", errno);
    }
}
