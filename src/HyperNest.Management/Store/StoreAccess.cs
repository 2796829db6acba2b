using System.Globalization;
using HyperNest.Kvm;

namespace HyperNest.Management.Store;

/// <summary>
/// The access model of a store (docs/architecture.md, "Access"). A store root owns is shared with the members of
/// the group <c>hypernest</c> (or <c>$HYPERNEST_GROUP</c>) when that group exists: they may read the store and
/// control running VMs through their workers' sockets; creating, changing, starting and removing VMs stays root's.
/// Any other store is its owner's alone. Refusals name the path and who may use it, in one line.
/// </summary>
public static class StoreAccess
{
    public const string GroupVariable = "HYPERNEST_GROUP";

    public const string DefaultGroup = "hypernest";

    /// <summary>The group that shares root's stores: $HYPERNEST_GROUP, else hypernest (whether it exists or not).</summary>
    public static string GroupName => Environment.GetEnvironmentVariable(GroupVariable) is { Length: > 0 } name ? name : DefaultGroup;

    /// <summary>
    /// The access of the store at <paramref name="home"/>: shared with <see cref="GroupName"/> when root owns it (or,
    /// while it does not exist yet, will: this process is root) and that group exists; else its owner's alone, even
    /// when root works in it.
    /// </summary>
    public static HostFileAccess For(string home)
    {
        uint owner;
        try
        {
            owner = FileStatus.Read(home)?.UserId ?? ProcessCredentials.EffectiveUserId;
        }
        catch (KvmException)
        {
            owner = ProcessCredentials.EffectiveUserId; // Out of reach: this process makes nothing there anyway.
        }

        return owner == 0 && HostGroup.IdOf(GroupName) is { } group ? new HostFileAccess(group) : HostFileAccess.OwnerOnly;
    }

    /// <summary>Who <paramref name="access"/> admits to a worker's socket, in words: "root, uid 1000 and members of group 'hypernest'".</summary>
    public static string Admitted(HostFileAccess access)
    {
        uint self = ProcessCredentials.EffectiveUserId;
        return Join([
            "root",
            .. self == 0 ? Array.Empty<string>() : [User(self)],
            .. access.GroupId is { } group ? [Group(group)] : Array.Empty<string>(),
        ]);
    }

    /// <summary>
    /// Who may read (or, with <paramref name="write"/>, change or connect to) <paramref name="path"/> by its owner,
    /// group and mode: "root and members of group 'hypernest'"; "its owner" when it cannot be looked at.
    /// </summary>
    public static string WhoMay(string path, bool write)
    {
        FileStatus? status;
        try
        {
            status = FileStatus.Read(path);
        }
        catch (KvmException)
        {
            status = null;
        }

        if (status is not { } entry)
        {
            return "its owner";
        }

        UnixFileMode groupBit = write ? UnixFileMode.GroupWrite : UnixFileMode.GroupRead;
        UnixFileMode otherBit = write ? UnixFileMode.OtherWrite : UnixFileMode.OtherRead;
        return Join([
            User(entry.UserId),
            .. (entry.Permissions & groupBit) != 0 ? [Group(entry.GroupId)] : Array.Empty<string>(),
            .. (entry.Permissions & otherBit) != 0 ? ["anyone who can reach it"] : Array.Empty<string>(),
        ]);
    }

    /// <summary>The store at <paramref name="home"/> (or a folder of it) cannot be read by this process.</summary>
    public static HostPermissionException ReadDenied(string home) =>
        new($"no permission to read the HyperNest store at {home}: it is open to {WhoMay(home, write: false)} only", HostPermission.Store);

    /// <summary>The store at <paramref name="home"/> cannot be changed by this process (a VM made, changed, started or removed).</summary>
    public static HostPermissionException ChangeDenied(string home) =>
        new($"no permission to change the HyperNest store at {home}: only {WhoMay(home, write: true)} may create, change, start or remove its VMs", HostPermission.Store);

    /// <summary>A VM's file (its console log, its worker's log) cannot be read by this process.</summary>
    public static HostPermissionException FileDenied(string vmName, string path) =>
        new($"no permission to read {Path.GetFileName(path)} of VM '{vmName}': {path} is open to {WhoMay(path, write: false)} only", HostPermission.Store);

    /// <summary>Whether a failure of a store operation is the kernel's refusal (EACCES, EPERM) rather than something broken.</summary>
    public static bool IsDenial(Exception e) =>
        e is UnauthorizedAccessException || e is KvmException { Errno: Errno.EACCES or Errno.EPERM };

    /// <summary>The warning for a store whose <paramref name="narrowed"/> entries were open wider than <paramref name="access"/>.</summary>
    public static string Tightened(string home, HostFileAccess access, int narrowed) =>
        $"the HyperNest store at {home} was open to more than its owner{(access.GroupId is { } group ? $" and {Group(group)}" : "")}: " +
        $"tightened {narrowed} files and folders (folders {Octal(access.DirectoryMode)}, files {Octal(access.FileMode)}, sockets {Octal(access.SocketMode)})";

    /// <summary>0750 as Unix tools write it.</summary>
    public static string Octal(UnixFileMode mode) => "0" + Convert.ToString((int)mode, 8);

    private static string User(uint id) => id == 0 ? "root" : $"uid {id.ToString(CultureInfo.InvariantCulture)}";

    private static string Group(uint id) => $"members of group '{HostGroup.NameOf(id) ?? id.ToString(CultureInfo.InvariantCulture)}'";

    private static string Join(string[] who) => who.Length == 1 ? who[0] : $"{string.Join(", ", who[..^1])} and {who[^1]}";
}
