using HyperNest.Vmm.Tests.Disks;

namespace HyperNest.Cli.Tests.Commands;

/// <summary>
/// `hnest vm checkpoint new|list|restore|remove|rename` (Checkpoint-VM, Get/Restore/Remove/Rename-VMSnapshot). On this
/// host's KVM, with the built-in guest held up (hnest.hold=1) and a raw disk attached (the guest never touches it): a
/// running VM checkpointed and put back to it is Saved, continues that run on start (one banner) and still answers the
/// power button; a checkpoint removed while the VM runs is merged by its worker. Off, with qemu-img as the oracle: a
/// checkpoint and its removal leave the VM's disk content as it was.
/// </summary>
public sealed class VmCheckpointCommandTests : IDisposable
{
    private const string Banner = "HyperNest built-in guest: 1 vCPU(s)";
    private const string Holding = "HyperNest built-in guest: holding";
    private readonly VmHome _home = new();
    private readonly string _disk;
    private readonly byte[] _original = new byte[2 << 20];

    public VmCheckpointCommandTests()
    {
        new Random(3).NextBytes(_original);
        _disk = Path.Combine(_home.Path, "web.raw");
        File.WriteAllBytes(_disk, _original);
    }

    public void Dispose() => _home.Dispose();

    private string Disk => _home.Show("web").GetProperty("configuration").GetProperty("hardDrives")[0].GetProperty("path").GetString()!;

    [SkippableFact]
    [Trait("Requires", "kvm")]
    public void A_Running_Vm_Restored_To_Its_Checkpoint_Is_Saved_And_Continues_That_Run_On_Start()
    {
        Skip.IfNot(HostKvm.Usable, HostKvm.WhyNot);
        QemuImg.SkipUnlessAvailable();
        StartHeld();

        Assert.Contains("before  Standard", _home.Ok("vm", "checkpoint", "new", "web", "before").Stdout);
        Assert.Equal("Running", _home.State("web"));
        Assert.EndsWith(".qcow2", Disk);
        _home.Ok("vm", "stop", "web", "--turn-off");

        _home.Ok("vm", "checkpoint", "restore", "web", "before");
        Assert.Equal("Saved", _home.State("web"));
        QemuImg.AssertConsistent(Disk);
        Assert.Equal("web: Running", _home.Ok("vm", "start", "web").Stdout.Trim());
        _home.Ok("vm", "stop", "web", "--timeout", "20");

        string console = ConsoleLog();
        Assert.Equal(1, Count(console, Banner));
        Assert.Equal(1, Count(console, Holding));
        Assert.Contains("power button pressed, powering off", console);
        Assert.Equal("Off", _home.State("web"));
        Assert.Equal(_original, File.ReadAllBytes(_disk));
    }

    [SkippableFact]
    [Trait("Requires", "kvm")]
    public void A_Checkpoint_Removed_While_The_Vm_Runs_Is_Merged_By_Its_Worker_And_The_Vm_Goes_On()
    {
        Skip.IfNot(HostKvm.Usable, HostKvm.WhyNot);
        QemuImg.SkipUnlessAvailable();
        StartHeld();
        _home.Ok("vm", "checkpoint", "new", "web", "one");

        Assert.Equal("web: checkpoint 'one' removed", _home.Ok("vm", "checkpoint", "remove", "web", "one").Stdout.Trim());

        Assert.Equal(_disk, Disk);
        Assert.Contains("merged into", File.ReadAllText(Path.Combine(_home.VmFolder("web"), "worker.log")));
        Assert.Equal("Running", _home.State("web"));
        _home.Ok("vm", "stop", "web", "--timeout", "20");
        Assert.Contains("power button pressed, powering off", ConsoleLog());
        Assert.Equal(_original, File.ReadAllBytes(_disk));
    }

    [SkippableFact]
    public void Removing_The_Checkpoint_Of_An_Off_Vm_Keeps_Its_Disks_Content()
    {
        QemuImg.SkipUnlessAvailable();
        _home.Ok("vm", "new", "web", "--memory", "64M", "--disk", _disk);
        _home.Ok("vm", "checkpoint", "new", "web");
        string overlay = Disk;
        QemuImg.Io(overlay, "write -P 0x7e 128k 64k");
        string before = Path.Combine(_home.Path, "before.raw");
        QemuImg.Ok("convert", "-f", "qcow2", "-O", "raw", overlay, before);
        string listed = _home.Ok("vm", "checkpoint", "list", "web").Stdout;
        Assert.Matches(@"web\s+web - \(.*\)\s+Standard\s+.*\s+-\s+Off\s", listed);

        using var listedJson = System.Text.Json.JsonDocument.Parse(_home.Ok("vm", "checkpoint", "list", "web", "--json").Stdout);
        string id = listedJson.RootElement[0].GetProperty("id").GetString()!;

        _home.Ok("vm", "checkpoint", "remove", "web", id);

        Assert.Equal(_disk, Disk);
        Assert.False(File.Exists(overlay));
        QemuImg.AssertIdentical(before, "raw", _disk, "raw");
        Assert.Single(_home.Ok("vm", "checkpoint", "list", "web").Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void Unknown_Checkpoints_And_Restoring_A_Running_Vm_Are_Refused_In_One_Line()
    {
        _home.Ok("vm", "new", "web", "--memory", "64M");

        Assert.Equal("hnest: HyperNest was unable to find a checkpoint named \"nope\" of virtual machine \"web\".",
            _home.Fails("vm", "checkpoint", "restore", "web", "nope"));
        Assert.Contains("nope", _home.Fails("vm", "checkpoint", "rename", "web", "nope", "other"));
    }

    private void StartHeld()
    {
        _home.Ok("vm", "new", "web", "--memory", "64M", "--disk", _disk);
        _home.Ok("vm", "set-boot", "web", "--append", "hnest.hold=1");
        _home.Ok("vm", "start", "web");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!ConsoleLog().Contains(Holding, StringComparison.Ordinal))
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"the built-in guest did not say it holds: '{ConsoleLog()}'");
            Thread.Sleep(50);
        }
    }

    private string ConsoleLog() => File.ReadAllText(Path.Combine(_home.VmFolder("web"), "console.log"));

    private static int Count(string text, string what) => text.Split(what).Length - 1;
}
