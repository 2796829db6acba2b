using System.Net.Sockets;
using static System.IO.UnixFileMode;

namespace HyperNest.Kvm.Tests;

/// <summary>
/// What HyperNest makes is owner-only (0700, 0600, 0600) or shared with a group (0750, 0640, 0660), whatever the
/// umask; an existing entry is brought to that without following links.
/// </summary>
public sealed class HostFileAccessTests : IDisposable
{
    private const UnixFileMode Rwx = UserRead | UserWrite | UserExecute;
    private const UnixFileMode Rw = UserRead | UserWrite;
    private readonly string _directory = Directory.CreateTempSubdirectory("hnest-access-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Owner_Only_Directory_File_Socket_And_Lock_Whatever_The_Umask()
    {
        HostFileAccess access = HostFileAccess.OwnerOnly;
        string folder = Path.Combine(_directory, "vms");
        // .NET deletes a Unix socket's file when the socket is disposed: it stays open until the end.
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);

        using (WithUmask(0))
        {
            access.CreateDirectory(folder);
            access.OpenFile(Path.Combine(folder, "console.log"), FileMode.Create).Dispose();
            access.Bind(socket, new UnixDomainSocketEndPoint(Path.Combine(folder, "ctl.sock")));
            FileLock.Acquire(Path.Combine(folder, "vm.lock"), access).Dispose();
        }

        Assert.Equal(Rwx, File.GetUnixFileMode(folder));
        Assert.Equal(Rw, File.GetUnixFileMode(Path.Combine(folder, "console.log")));
        Assert.Equal(Rw, File.GetUnixFileMode(Path.Combine(folder, "ctl.sock")));
        Assert.Equal(Rw, File.GetUnixFileMode(Path.Combine(folder, "vm.lock")));
    }

    [SkippableFact]
    [Trait("Requires", "root")]
    public void Shared_With_A_Group_Is_0750_0640_0660_In_That_Group()
    {
        Skip.IfNot(HostRoot.Usable, HostRoot.WhyNot);
        var access = new HostFileAccess(HostRoot.Outsider);
        string folder = Path.Combine(_directory, "vms");
        string log = Path.Combine(folder, "console.log");
        string control = Path.Combine(folder, "ctl.sock");
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);

        // A umask that would keep the group out: the group's bits are set explicitly.
        using (WithUmask(Convert.ToUInt32("077", 8)))
        {
            access.CreateDirectory(folder);
            access.OpenFile(log, FileMode.Create).Dispose();
            access.Bind(socket, new UnixDomainSocketEndPoint(control));
        }

        Assert.Equal((Rwx | GroupRead | GroupExecute, HostRoot.Outsider), ModeAndGroup(folder));
        Assert.Equal((Rw | GroupRead, HostRoot.Outsider), ModeAndGroup(log));
        Assert.Equal((Rw | GroupRead | GroupWrite, HostRoot.Outsider), ModeAndGroup(control));
    }

    [Fact]
    public void Conform_Narrows_What_Is_Wider_And_Follows_No_Link()
    {
        string folder = Path.Combine(_directory, "vms");
        Directory.CreateDirectory(folder, Rwx | GroupRead | GroupWrite | GroupExecute | OtherRead | OtherWrite | OtherExecute);
        string config = Path.Combine(folder, "config.json");
        File.WriteAllText(config, "{}");
        File.SetUnixFileMode(config, Rw | GroupRead | OtherRead);
        string outside = Path.Combine(_directory, "elsewhere");
        File.WriteAllText(outside, "not HyperNest's");
        File.SetUnixFileMode(outside, Rw | GroupRead | OtherRead);
        string link = Path.Combine(folder, "link");
        File.CreateSymbolicLink(link, outside);

        Assert.True(HostFileAccess.OwnerOnly.Conform(folder));
        Assert.True(HostFileAccess.OwnerOnly.Conform(config));
        Assert.False(HostFileAccess.OwnerOnly.Conform(config));
        Assert.False(HostFileAccess.OwnerOnly.Conform(link));

        Assert.Equal(Rwx, File.GetUnixFileMode(folder));
        Assert.Equal(Rw, File.GetUnixFileMode(config));
        Assert.Equal(Rw | GroupRead | OtherRead, File.GetUnixFileMode(outside));
    }

    [Fact]
    public void The_Peer_Of_A_Socket_This_Process_Connected_Is_This_Process_And_Admitted()
    {
        string path = Path.Combine(_directory, "ctl.sock");
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        HostFileAccess.OwnerOnly.Bind(listener, new UnixDomainSocketEndPoint(path));
        listener.Listen(1);
        using var client = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        client.Connect(new UnixDomainSocketEndPoint(path));
        using Socket server = listener.Accept();

        PeerCredentials peer = PeerCredentials.Of(server);

        Assert.Equal(Environment.ProcessId, peer.ProcessId);
        Assert.Equal(ProcessCredentials.EffectiveUserId, peer.UserId);
        Assert.True(HostFileAccess.OwnerOnly.Admits(peer));
    }

    [Fact]
    public void Admits_Root_Its_Own_User_And_Members_Of_The_Group_Only()
    {
        const uint group = 4242;
        var stranger = new PeerCredentials(1, 12345, 12345, []);
        var member = new PeerCredentials(1, 12345, 12345, [7, group]);
        var root = new PeerCredentials(1, 0, 0, []);

        Assert.False(HostFileAccess.OwnerOnly.Admits(stranger));
        Assert.False(HostFileAccess.OwnerOnly.Admits(member));
        Assert.True(new HostFileAccess(group).Admits(member));
        Assert.True(new HostFileAccess(group).Admits(stranger with { GroupId = group }));
        Assert.True(HostFileAccess.OwnerOnly.Admits(root));
    }

    [SkippableFact]
    public void Root_Group_Is_Found_Both_Ways_And_A_Missing_One_Is_Null()
    {
        Skip.IfNot(File.Exists("/etc/group") && File.ReadLines("/etc/group").Any(l => l.StartsWith("root:x:0:", StringComparison.Ordinal)), "no root group in /etc/group");

        Assert.Equal(0u, HostGroup.IdOf("root"));
        Assert.Equal("root", HostGroup.NameOf(0));
        Assert.Null(HostGroup.IdOf("hnt-no-such-group"));
    }

    [Fact]
    public void File_Status_Tells_Kinds_Apart_And_Is_Null_For_Nothing()
    {
        string file = Path.Combine(_directory, "f");
        File.WriteAllText(file, "");

        Assert.Null(FileStatus.Read(Path.Combine(_directory, "missing")));
        Assert.True(FileStatus.Read(_directory)!.Value.IsDirectory);
        Assert.True(FileStatus.Read(file)!.Value.IsRegularFile);
        Assert.Equal(ProcessCredentials.EffectiveUserId, FileStatus.Read(file)!.Value.UserId);
    }

    private static (UnixFileMode Mode, uint Group) ModeAndGroup(string path)
    {
        FileStatus status = FileStatus.Read(path)!.Value;
        return (status.Permissions, status.GroupId);
    }

    /// <summary>Sets the process's umask until disposed (the other tests of this class run after, one at a time).</summary>
    private static IDisposable WithUmask(uint mask)
    {
        uint previous = Interop.Umask(mask);
        return new Restore(() => Interop.Umask(previous));
    }

    private sealed class Restore(Action restore) : IDisposable
    {
        public void Dispose() => restore();
    }
}
