using System.Diagnostics;

namespace HyperNest.Cli.Tests.Commands;

/// <summary>
/// Real VMs on this host's /dev/kvm, run by background workers. The built-in guest powers off right after its
/// banner; "hnest.hold=1" keeps it up (idle) until the ACPI power button is pressed; "hnest.bench=N" makes it do
/// N port round trips (~10 µs each here) with interrupts off first, so it ignores the power button meanwhile.
/// </summary>
public sealed class VmLifecycleCommandTests : IDisposable
{
    /// <summary>The VM stays Running, idle, until stopped or its power button is pressed.</summary>
    private const string Hold = "hnest.hold=1";

    /// <summary>Hours of round trips with interrupts off: a guest that does not answer the power button.</summary>
    private const string Deaf = "hnest.bench=1000000000";

    private readonly VmHome _home = new();

    public void Dispose() => _home.Dispose();

    [Fact]
    public void Vm_Starts_Suspends_Resumes_And_Turns_Off()
    {
        _home.Ok("vm", "new", "web", "--append", Hold);

        Assert.Equal("web: Running", _home.Ok("vm", "start", "web").Stdout.Trim());
        Assert.Matches(@"web\s+Running\s+\d+\s+512\s+0\s+\d\d:\d\d:\d\d\s+Operating normally", _home.Ok("vm", "list").Stdout);
        Assert.Equal("hnest: warning: 'web': The virtual machine is already in the specified state.", Assert.Single(_home.Ok("vm", "start", "web").StderrLines));

        _home.Ok("vm", "suspend", "web");
        Assert.Equal("Paused", _home.State("web"));
        _home.Ok("vm", "resume", "web");
        Assert.Equal("Running", _home.State("web"));
        Assert.Contains("while it is Running", _home.Fails("vm", "set-processor", "web", "--count", "1", "--expose-virtualization-extensions", "true"));

        _home.Ok("vm", "stop", "web", "--turn-off");
        Assert.Equal("Off", _home.State("web"));
        Assert.Equal("turned off (power cut requested by the host)", _home.Show("web").GetProperty("lastStopReason").GetString());
    }

    [Fact]
    public void Start_From_Paused_Resumes()
    {
        _home.Ok("vm", "new", "web", "--append", Hold);
        _home.Ok("vm", "start", "web");
        _home.Ok("vm", "suspend", "web");

        _home.Ok("vm", "start", "web");

        Assert.Equal("Running", _home.State("web"));
    }

    [Fact]
    public void Worker_Killed_With_Sigkill_Shows_Off_With_The_Reason()
    {
        _home.Ok("vm", "new", "web", "--append", Hold);
        _home.Ok("vm", "start", "web");
        int pid = _home.Show("web").GetProperty("workerPid").GetInt32();

        using (Process worker = Process.GetProcessById(pid))
        {
            worker.Kill();
            worker.WaitForExit(5000);
        }

        Assert.Equal("Off", _home.State("web"));
        Assert.Equal($"the worker process (pid {pid}) ended unexpectedly (hnest vm log web)", _home.Show("web").GetProperty("lastStopReason").GetString());
        Assert.Equal("web: Running", _home.Ok("vm", "start", "web").Stdout.Trim());
    }

    [Fact]
    public void Graceful_Stop_Presses_The_Power_Button_And_The_Guest_Powers_Off()
    {
        _home.Ok("vm", "new", "web", "--append", Hold);
        _home.Ok("vm", "start", "web");

        HnestProcess.Result stop = _home.Hnest("vm", "stop", "web", "--timeout", "60");

        Assert.Equal(0, stop.ExitCode);
        Assert.Equal("Off", _home.State("web"));
        Assert.Equal("the guest powered off", _home.Show("web").GetProperty("lastStopReason").GetString());
    }

    [Fact]
    public void Graceful_Stop_Of_A_Guest_That_Does_Not_Power_Off_Times_Out_And_Force_Turns_It_Off()
    {
        _home.Ok("vm", "new", "web", "--append", Deaf);
        _home.Ok("vm", "start", "web");

        Assert.Equal("hnest: The virtual machine did not shut down within 1 seconds; use Stop-VM -TurnOff", _home.Fails("vm", "stop", "web", "--timeout", "1"));
        Assert.Equal("Running", _home.State("web"));
        _home.Ok("vm", "stop", "web", "--timeout", "1", "--force");
        Assert.Equal("Off", _home.State("web"));
    }

    [Fact]
    public void Console_Log_Holds_The_Guest_Output_And_Console_Follows_Until_Off()
    {
        _home.Ok("vm", "new", "web");
        _home.Ok("vm", "start", "web");

        HnestProcess.Result console = _home.Ok("vm", "console", "web");

        Assert.Contains("HyperNest built-in guest: 1 vCPU(s), 512 MiB RAM", console.Stdout);
        Assert.Contains("HyperNest built-in guest", File.ReadAllText(Path.Combine(_home.VmFolder("web"), "console.log")));
        Assert.Equal("the guest powered off", _home.Show("web").GetProperty("lastStopReason").GetString());
    }

    [Fact]
    public void Remove_Refuses_A_Running_Vm_Unless_Forced()
    {
        _home.Ok("vm", "new", "web", "--append", Hold);
        _home.Ok("vm", "start", "web");
        int pid = _home.Show("web").GetProperty("workerPid").GetInt32();

        Assert.StartsWith("hnest: 'web' is Running: turn it off first", _home.Fails("vm", "remove", "web"));
        _home.Ok("vm", "remove", "web", "--force");

        Assert.Equal("[]", _home.Ok("vm", "list", "--json").Stdout.Trim());
        Assert.False(File.Exists($"/proc/{pid}/cmdline") && File.ReadAllText($"/proc/{pid}/cmdline").Contains("worker", StringComparison.Ordinal));
    }

    [Fact]
    public void Start_Failure_Is_Reported_In_One_Line()
    {
        string disk = Path.Combine(_home.Path, "d.raw");
        File.WriteAllBytes(disk, new byte[4096]);
        _home.Ok("vm", "new", "web", "--disk", disk);
        File.Delete(disk);

        Assert.Equal($"hnest: 'web' failed to start: disk '{disk}' does not exist", _home.Fails("vm", "start", "web"));
        Assert.Equal("Off", _home.State("web"));
    }
}
