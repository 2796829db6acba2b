using System.Diagnostics;

namespace HyperNest.Cli.Tests.Commands;

/// <summary>
/// A managed VM that resets, by its guest's reboot or by <c>hnest vm restart</c> (Restart-VM), boots again in the same
/// worker: Running throughout, the console log holding every boot, the uptime anew; a guest in a reboot loop is
/// stopped with the reason. The built-in guest: "hnest.hold=1" holds after its banner, "hnest.reboot=1" reboots
/// after it (every boot: a loop).
/// </summary>
public sealed class VmRestartCommandTests : IDisposable
{
    private const string Banner = "HyperNest built-in guest: 1 vCPU(s)";

    private readonly VmHome _home = new();

    public void Dispose() => _home.Dispose();

    [Fact]
    public void Vm_Restart_Force_Boots_The_Guest_Again_In_The_Same_Worker_With_Uptime_Anew()
    {
        _home.Ok("vm", "new", "web", "--append", "hnest.hold=1");
        _home.Ok("vm", "start", "web");
        int pid = _home.Show("web").GetProperty("workerPid").GetInt32();
        Thread.Sleep(2500);
        string before = _home.Show("web").GetProperty("uptime").GetString()!;

        Assert.Equal("web: Running", _home.Ok("vm", "restart", "web", "--force").Stdout.Trim());

        WaitFor(() => Banners("web") == 2, "a second boot in the console log");
        Assert.Equal("Running", _home.State("web"));
        Assert.Equal(pid, _home.Show("web").GetProperty("workerPid").GetInt32());
        Assert.True(TimeSpan.Parse(_home.Show("web").GetProperty("uptime").GetString()!, System.Globalization.CultureInfo.InvariantCulture)
            < TimeSpan.Parse(before, System.Globalization.CultureInfo.InvariantCulture), $"uptime {before} did not start over");
        Assert.Contains("reset by the host: the VM starts again", File.ReadAllText(Path.Combine(_home.VmFolder("web"), "worker.log")));
        _home.Ok("vm", "stop", "web", "--turn-off");
    }

    [Fact]
    public void Vm_Restart_Asks_First_And_Without_An_Answer_Changes_Nothing()
    {
        _home.Ok("vm", "new", "web", "--append", "hnest.hold=1");
        _home.Ok("vm", "start", "web");

        // No terminal: the question gets no answer, which is no.
        HnestProcess.Result result = _home.Ok("vm", "restart", "web");

        Assert.Contains("Restart 'web'?", result.Stdout);
        Assert.Contains("Nothing changed.", result.Stdout);
        Thread.Sleep(500);
        Assert.Equal(1, Banners("web"));
        _home.Ok("vm", "stop", "web", "--turn-off");
    }

    [Fact]
    public void A_Guest_Reboot_Restarts_The_Vm_Until_A_Reboot_Loop_Stops_It_With_The_Reason()
    {
        _home.Ok("vm", "new", "loop", "--append", "hnest.reboot=1");
        _home.Ok("vm", "start", "loop");

        WaitFor(() => _home.State("loop") == "Off", "the VM to stop");
        Assert.Equal("the guest rebooted 5 times within 60 s: HyperNest stopped it (a reboot loop)", _home.Show("loop").GetProperty("lastStopReason").GetString());
        Assert.Equal(5, Banners("loop"));
        string log = File.ReadAllText(Path.Combine(_home.VmFolder("loop"), "worker.log"));
        Assert.Equal(4, log.Split("the guest rebooted: the VM starts again").Length - 1);
        Assert.Contains("ended: the guest rebooted 5 times within 60 s", log);
    }

    [Fact]
    public void Vm_Restart_Refuses_An_Off_Vm_And_Type_Reboot_In_One_Line()
    {
        _home.Ok("vm", "new", "web", "--append", "hnest.hold=1");

        Assert.Equal(
            "hnest: 'web' failed to change state (Restart while Off): The operation cannot be performed while the virtual machine is in its current state.",
            _home.Fails("vm", "restart", "web", "--force"));
        // Found by a newcomer's try: without --force an Off VM was asked about first, then "Nothing changed", exit 0.
        Assert.Equal(
            "hnest: 'web' failed to change state (Restart while Off): The operation cannot be performed while the virtual machine is in its current state.",
            _home.Fails("vm", "restart", "web"));
        _home.Ok("vm", "start", "web");
        Assert.StartsWith("hnest: 'web' cannot be rebooted by its guest's OS: HyperNest has no channel to ask it", _home.Fails("vm", "restart", "web", "--type", "reboot"));
        Assert.Contains("sometimes", _home.Fails("vm", "restart", "web", "--type", "sometimes"));
        Assert.Equal(1, Banners("web"));
        _home.Ok("vm", "stop", "web", "--turn-off");
    }

    private int Banners(string vm) =>
        File.ReadLines(Path.Combine(_home.VmFolder(vm), "console.log")).Count(l => l.StartsWith(Banner, StringComparison.Ordinal));

    private static void WaitFor(Func<bool> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"waited 60 s for {what}");
            Thread.Sleep(100);
        }
    }
}
