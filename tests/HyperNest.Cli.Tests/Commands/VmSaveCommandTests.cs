namespace HyperNest.Cli.Tests.Commands;

/// <summary>
/// `hnest vm save` and `hnest vm start` of a saved VM (Save-VM, Start-VM) on either accelerator (this host's KVM, or
/// the emulated host where there is none), with the built-in guest held up (hnest.hold=1): the restored guest is the same run — one banner in its console log, no second boot — and it
/// still answers the ACPI power button, which takes its interrupt controllers, its IDT and its vCPU state all
/// restored. A damaged state is refused in one line and the VM stays Saved; remove-saved-state leaves it Off.
/// </summary>
public sealed class VmSaveCommandTests : IDisposable
{
    private const string Banner = "HyperNest built-in guest: 1 vCPU(s)";
    private const string Holding = "HyperNest built-in guest: holding";
    private readonly VmHome _home = new();

    public void Dispose() => _home.Dispose();

    [Fact]
    public void A_Saved_Vm_Continues_Its_Run_On_Start_And_Powers_Off_On_The_Power_Button()
    {
        StartHeld();

        Assert.Equal("web: Saved", _home.Ok("vm", "save", "web").Stdout.Trim());
        Assert.Equal("Saved", _home.State("web"));
        Assert.True(File.Exists(Path.Combine(_home.VmFolder("web"), "saved.state")));
        Assert.True(_home.Show("web").TryGetProperty("workerPid", out System.Text.Json.JsonElement pid) is false || pid.ValueKind == System.Text.Json.JsonValueKind.Null);

        Assert.Equal("web: Running", _home.Ok("vm", "start", "web").Stdout.Trim());
        Assert.False(File.Exists(Path.Combine(_home.VmFolder("web"), "saved.state")));
        _home.Ok("vm", "stop", "web", "--timeout", "60");

        string console = ConsoleLog();
        Assert.Equal(1, Count(console, Banner));
        Assert.Equal(1, Count(console, Holding));
        Assert.Contains("power button pressed, powering off", console);
        Assert.Equal("Off", _home.State("web"));
        Assert.Contains("powered off", _home.Show("web").GetProperty("lastStopReason").GetString());
    }

    [Fact]
    public void A_Damaged_State_Is_Refused_In_One_Line_And_The_Vm_Stays_Saved_Until_Its_State_Is_Removed()
    {
        StartHeld();
        _home.Ok("vm", "save", "web");
        string state = Path.Combine(_home.VmFolder("web"), "saved.state");
        byte[] good = File.ReadAllBytes(state);
        byte[] bad = (byte[])good.Clone();
        bad[^2] ^= 0x01;
        File.WriteAllBytes(state, bad);

        Assert.Contains("is corrupt: its contents do not match their checksum", _home.Fails("vm", "start", "web"));
        Assert.Equal("Saved", _home.State("web"));
        Assert.Equal(bad, File.ReadAllBytes(state));

        Assert.StartsWith("web: Off", _home.Ok("vm", "remove-saved-state", "web").Stdout.Trim());
        Assert.False(File.Exists(state));
        Assert.False(File.Exists(Path.Combine(_home.VmFolder("web"), "saved.memory")));
    }

    [SkippableFact]
    [Trait("Requires", "kvm")]
    public void A_State_Saved_On_Kvm_Is_Not_Restored_On_The_Emulated_Host()
    {
        Skip.IfNot(HostKvm.Usable, HostKvm.WhyNot);
        StartHeld();
        _home.Ok("vm", "save", "web");
        var noKvm = new Dictionary<string, string>(_home.Environment) { ["HYPERNEST_KVM_DEVICE"] = "/nonexistent" };

        HnestProcess.Result refused = HnestProcess.RunWithEnvironment(noKvm, "vm", "start", "web");

        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("it was saved on the kvm accelerator and would run on emulated now", Assert.Single(refused.StderrLines));
        Assert.Equal("Saved", _home.State("web"));
    }

    [Fact]
    public void Saving_An_Off_Vm_Names_Its_State()
    {
        _home.Ok("vm", "new", "web", "--memory", "64M");

        Assert.Contains("Off", _home.Fails("vm", "save", "web"));
    }

    private void StartHeld()
    {
        _home.Ok("vm", "new", "web", "--memory", "64M");
        _home.Ok("vm", "set-boot", "web", "--append", "hnest.hold=1");
        _home.Ok("vm", "start", "web");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!ConsoleLog().Contains(Holding, StringComparison.Ordinal))
        {
            // The emulated host boots in ~10 s on a loaded machine.
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(90), $"the built-in guest did not say it holds: '{ConsoleLog()}'");
            Thread.Sleep(50);
        }
    }

    private string ConsoleLog() => File.ReadAllText(Path.Combine(_home.VmFolder("web"), "console.log"));

    private static int Count(string text, string what) => text.Split(what).Length - 1;
}
