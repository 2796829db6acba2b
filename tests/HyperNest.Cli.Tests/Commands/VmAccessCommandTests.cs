using HyperNest.Kvm;
using HyperNest.Management.Store;
using static System.IO.UnixFileMode;

namespace HyperNest.Cli.Tests.Commands;

/// <summary>
/// docs/architecture.md, "Access", on real VMs: what a store holds after new, start, console and stop is owner-only,
/// or shared with a group (a throwaway one, by $HYPERNEST_GROUP); someone else (uid 65534) cannot read a console log,
/// connect to a control socket or change a VM, and gets one line for each; a member of the group reads and controls
/// but changes nothing; the worker refuses a peer at the door even when the socket's mode would let it in.
/// </summary>
public sealed class VmAccessCommandTests
{
    /// <summary>The built-in guest stays up, idle, until its power button is pressed.</summary>
    private const string Hold = "hnest.hold=1";

    private const string Banner = "HyperNest built-in guest: 1 vCPU(s), 512 MiB RAM";

    [Fact]
    public void Everything_Is_Owner_Only_After_New_Start_Console_And_Stop()
    {
        using var home = new VmHome();

        NewStartConsoleStop(home, expected => AssertModes(home, "0700", "0600", "0600", 0, expected));
    }

    [SkippableFact]
    [Trait("Requires", "root")]
    public void With_A_Group_Everything_Is_0750_0640_0660_And_The_Group_s()
    {
        Skip.IfNot(HostRoot.Usable, HostRoot.WhyNot);
        using var group = new TestGroup();
        using var home = new VmHome(group.Name);

        NewStartConsoleStop(home, expected => AssertModes(home, "0750", "0640", "0660", group.Id, expected));
    }

    [SkippableFact]
    [Trait("Requires", "root")]
    public void Someone_Else_Cannot_Read_The_Console_Log_Connect_To_The_Control_Socket_Or_Change_The_Vm()
    {
        Skip.IfNot(OtherUser.Usable, OtherUser.WhyNot);
        using var home = new VmHome();
        string folder = StartHeld(home);
        string denied = $"hnest: no permission to read the HyperNest store at {home.Path}: it is open to root only";

        Assert.Equal(denied, Refused(OtherUser.Outsider.Hnest(home, "vm", "console", "web")));
        Assert.Equal(denied, Refused(OtherUser.Outsider.Hnest(home, "vm", "stop", "web")));
        Assert.Equal(denied, Refused(OtherUser.Outsider.Hnest(home, "vm", "set-memory", "web", "--startup", "1G")));
        string log = Path.Combine(folder, "console.log");
        Assert.Equal($"cat: {log}: Permission denied", Refused(OtherUser.Outsider.Run("cat", log), exitCode: 1));
        Assert.Equal("connect: Permission denied", Refused(OtherUser.Outsider.AskStatus(Path.Combine(folder, "ctl.sock")), exitCode: 2));

        Assert.Equal("Running", home.State("web"));
        Assert.Equal(512UL << 20, home.Show("web").GetProperty("configuration").GetProperty("memory").GetProperty("startupBytes").GetUInt64());
    }

    [SkippableFact]
    [Trait("Requires", "root")]
    public void A_Member_Of_The_Group_Reads_The_Console_And_Stops_The_Vm_But_Changes_Nothing()
    {
        Skip.IfNot(OtherUser.Usable, OtherUser.WhyNot);
        using var group = new TestGroup();
        using var home = new VmHome(group.Name);
        string folder = StartHeld(home);
        home.Ok("vm", "new", "other");
        OtherUser member = OtherUser.MemberOf(group.Id);

        Task<HnestProcess.Result> console = member.StartHnest(home, "vm", "console", "web");
        HnestProcess.Result log = member.Run("cat", Path.Combine(folder, "console.log"));
        HnestProcess.Result status = member.AskStatus(Path.Combine(folder, "ctl.sock"));
        string changeDenied = $"hnest: no permission to change the HyperNest store at {home.Path}: only root may create, change, start or remove its VMs";
        Assert.Equal(changeDenied, Refused(member.Hnest(home, "vm", "set-memory", "other", "--startup", "1G")));
        Assert.Equal(changeDenied, Refused(member.Hnest(home, "vm", "start", "other")));
        HnestProcess.Result stop = member.Hnest(home, "vm", "stop", "web");

        Assert.True(log.ExitCode == 0 && log.Stdout.Contains(Banner, StringComparison.Ordinal), log.Stderr);
        Assert.Contains("\"ok\":true,\"state\":\"Running\"", status.Stdout);
        Assert.True(stop.ExitCode == 0, stop.Stderr);
        Assert.Equal("Off", home.State("web"));
        Assert.Equal("Off", home.State("other"));
        AssertFollowedToTheEnd(console);
    }

    [SkippableFact]
    [Trait("Requires", "root")]
    public void A_Group_Made_While_A_Vm_Runs_Lets_Its_Members_In_Once_The_Store_Is_Brought_To_It()
    {
        Skip.IfNot(OtherUser.Usable, OtherUser.WhyNot);
        string name = TestGroup.NewName();
        using var home = new VmHome(name);
        StartHeld(home);
        AssertModes(home, "0700", "0600", "0600", 0, ["ctl.sock"]);
        using var group = new TestGroup(name);

        HnestProcess.Result list = home.Ok("vm", "list");
        HnestProcess.Result stop = OtherUser.MemberOf(group.Id).Hnest(home, "vm", "stop", "web");

        Assert.Empty(list.StderrLines);
        Assert.True(stop.ExitCode == 0, stop.Stderr);
        Assert.Equal("Off", home.State("web"));
        AssertModes(home, "0750", "0640", "0660", group.Id, ["console.log"]);
    }

    [SkippableFact]
    [Trait("Requires", "root")]
    public void The_Worker_Refuses_Someone_Its_Socket_Mode_Would_Let_In_And_Logs_It()
    {
        Skip.IfNot(OtherUser.Usable, OtherUser.WhyNot);
        using var home = new VmHome();
        string folder = StartHeld(home);
        StoreEntries.OpenToOthers(home.Path);

        HnestProcess.Result stop = OtherUser.Outsider.Hnest(home, "vm", "stop", "web");

        Assert.Equal("hnest: no permission to control 'web': its worker takes requests only from root", Refused(stop));
        Assert.Contains($"refused a shut down request on the control socket from uid {HostRoot.Outsider} (pid ", File.ReadAllText(Path.Combine(folder, "worker.log")));
        HnestProcess.Result list = home.Ok("vm", "list");
        Assert.StartsWith($"hnest: warning: the HyperNest store at {home.Path} was open to more than its owner: tightened ", Assert.Single(list.StderrLines));
        Assert.Equal("Running", home.State("web"));
        AssertModes(home, "0700", "0600", "0600", 0, ["ctl.sock"]);
    }

    [Fact]
    public void A_Store_Open_Wider_Is_Tightened_On_First_Use_With_One_Warning()
    {
        using var home = new VmHome();
        home.Ok("vm", "new", "web");
        int widened = StoreEntries.OpenToOthers(home.Path);

        HnestProcess.Result first = home.Ok("vm", "list");
        HnestProcess.Result second = home.Ok("vm", "list");

        Assert.Equal(
            $"hnest: warning: the HyperNest store at {home.Path} was open to more than its owner: tightened {widened} files and folders (folders 0700, files 0600, sockets 0600)",
            Assert.Single(first.StderrLines));
        Assert.Empty(second.StderrLines);
        AssertModes(home, "0700", "0600", "0600", 0, ["config.json"]);
    }

    [SkippableFact]
    [Trait("Requires", "root")]
    public void A_Store_Permission_Problem_Names_The_Store_Not_Dev_Kvm()
    {
        Skip.IfNot(OtherUser.Usable, OtherUser.WhyNot);
        using var home = new VmHome();
        home.Ok("vm", "new", "web");
        StoreEntries.OpenToOthers(home.Path);

        string refused = Refused(OtherUser.Outsider.Hnest(home, "vm", "set-memory", "web", "--startup", "1G"));

        Assert.Equal($"hnest: no permission to change the HyperNest store at {home.Path}: only root may create, change, start or remove its VMs", refused);
        Assert.DoesNotContain("/dev/kvm", refused);
    }

    /// <summary>A VM "web" that runs until stopped; returns its folder.</summary>
    private static string StartHeld(VmHome home)
    {
        home.Ok("vm", "new", "web", "--append", Hold);
        home.Ok("vm", "start", "web");
        return home.VmFolder("web");
    }

    /// <summary>new, start, console (following while the checks run), stop; <paramref name="check"/> after each, with the names that must be there.</summary>
    private static void NewStartConsoleStop(VmHome home, Action<string[]> check)
    {
        home.Ok("vm", "new", "web", "--append", Hold);
        check(["store.lock", "config.json"]);
        home.Ok("vm", "start", "web");
        string[] running = ["store.lock", "config.json", "vm.lock", "runtime.json", "console.log", "worker.log", "ctl.sock"];
        check(running);

        Task<HnestProcess.Result> console = home.Start("vm", "console", "web");
        check(running);
        home.Ok("vm", "stop", "web");

        AssertFollowedToTheEnd(console);
        check(["store.lock", "config.json", "vm.lock", "runtime.json", "console.log", "worker.log"]);
    }

    /// <summary>`hnest vm console` printed the guest's output and ended by itself when the VM went off.</summary>
    private static void AssertFollowedToTheEnd(Task<HnestProcess.Result> console)
    {
        HnestProcess.Result followed = console.Result;
        Assert.True(followed.ExitCode == 0, followed.Stderr);
        Assert.Contains(Banner, followed.Stdout);
    }

    /// <summary>
    /// Every folder, file and socket of the store (links not followed) has exactly the mode of its kind and
    /// <paramref name="group"/>, so `find HOME -perm /o=rwx` prints nothing; the <paramref name="expected"/> names are among them.
    /// </summary>
    private static void AssertModes(VmHome home, string folder, string file, string socket, uint group, string[] expected)
    {
        IReadOnlyList<(string Path, FileStatus Status)> entries = StoreEntries.Of(home.Path);

        Assert.All(entries, e => Assert.Equal(
            ($"{e.Path}: {(e.Status.IsDirectory ? folder : e.Status.IsSocket ? socket : file)}", group),
            ($"{e.Path}: {StoreAccess.Octal(e.Status.Permissions)}", e.Status.GroupId)));
        Assert.DoesNotContain(entries, e => (e.Status.Permissions & (OtherRead | OtherWrite | OtherExecute)) != 0);
        Assert.Empty(expected.Except(entries.Select(e => System.IO.Path.GetFileName(e.Path))));
    }

    /// <summary>A refusal: <paramref name="exitCode"/> and exactly one line on stderr, which it returns.</summary>
    private static string Refused(HnestProcess.Result result, int exitCode = 2)
    {
        Assert.True(result.ExitCode == exitCode, $"exited {result.ExitCode}, not {exitCode}: {result.Stderr}");
        return Assert.Single(result.StderrLines);
    }
}
