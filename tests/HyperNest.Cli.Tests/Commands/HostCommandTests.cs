using System.Text.Json;

namespace HyperNest.Cli.Tests.Commands;

/// <summary>
/// <c>hnest host</c>: Get-VMHost and Set-VMHost, and the automatic start and stop actions applied with the built-in
/// guest ("hnest.hold=1" keeps it running until its power button is pressed).
/// </summary>
public sealed class HostCommandTests : IDisposable
{
    private const string Hold = "hnest.hold=1";

    private readonly VmHome _home = new();

    public void Dispose() => _home.Dispose();

    private JsonElement Host()
    {
        using JsonDocument document = JsonDocument.Parse(_home.Ok("host", "show", "--json").Stdout);
        return document.RootElement.Clone();
    }

    [Fact]
    public void Show_Gives_The_Hosts_Processors_Memory_Mac_Range_And_Paths()
    {
        JsonElement host = Host();

        Assert.Equal(Environment.ProcessorCount, host.GetProperty("logicalProcessorCount").GetInt32());
        Assert.True(host.GetProperty("memoryCapacityBytes").GetInt64() > 0);
        Assert.Equal("00155D000000", host.GetProperty("macAddressMinimum").GetString());
        Assert.Equal(Path.Combine(_home.Path, "vms"), host.GetProperty("virtualMachinePath").GetString());
        Assert.Matches(@"LogicalProcessorCount\s+: \d+", _home.Ok("host", "show").Stdout);
    }

    [Fact]
    public void The_Mac_Range_Set_Is_The_One_New_Vms_Draw_From()
    {
        _home.Ok("host", "set", "--mac-address-minimum", "00155D020600", "--mac-address-maximum", "00155D020600");

        _home.Ok("vm", "new", "web");

        Assert.Equal("00155D020600", _home.Show("web").GetProperty("configuration").GetProperty("networkAdapters")[0].GetProperty("macAddress").GetString());
        Assert.StartsWith("hnest: the dynamic MAC address range of this host (00155D020600-00155D020600) is exhausted", _home.Fails("vm", "new", "db"));
        Assert.Equal(1, JsonDocument.Parse(_home.Ok("vm", "list", "--json").Stdout).RootElement.GetArrayLength());
    }

    [Theory]
    [InlineData("The MAC address range 00155D0206FF-00155D020600 is empty: the minimum must not be above the maximum.", "--mac-address-minimum", "00155D0206FF", "--mac-address-maximum", "00155D020600")]
    [InlineData("VirtualHardDiskPath '/nonexistent/disks' is not an existing folder.", "--virtual-hard-disk-path", "/nonexistent/disks")]
    public void Bad_Host_Settings_Are_One_Line_Exit_2_And_Nothing_Is_Written(string message, params string[] args)
    {
        Assert.Equal($"hnest: {message}", _home.Fails(["host", "set", .. args]));

        Assert.False(File.Exists(Path.Combine(_home.Path, "host.json")));
    }

    [Fact]
    public void Another_Virtual_Machine_Path_Is_Refused_Naming_Hypernest_Home() =>
        Assert.Contains("HYPERNEST_HOME", _home.Fails("host", "set", "--virtual-machine-path", "/srv/vms"));

    [Fact]
    public void Stop_Vms_Applies_Each_Stop_Action_And_Start_Vms_Each_Start_Action()
    {
        foreach (string name in new[] { "saved", "shut", "cut", "stays-off", "always" })
        {
            _home.Ok("vm", "new", name, "--append", Hold);
        }

        _home.Ok("vm", "set", "shut", "--automatic-stop-action", "ShutDown");
        _home.Ok("vm", "set", "cut", "--automatic-stop-action", "TurnOff", "--automatic-start-action", "Nothing");
        _home.Ok("vm", "set", "always", "--automatic-start-action", "Start", "--automatic-start-delay", "1");
        foreach (string name in new[] { "saved", "shut", "cut" })
        {
            _home.Ok("vm", "start", name);
        }

        string[] stopped = _home.Ok("host", "stop-vms").Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(["cut: TurnOff: Off", "saved: Save: Saved", "shut: ShutDown: Off"], stopped.Order());
        Assert.Equal("the guest powered off", _home.Show("shut").GetProperty("lastStopReason").GetString());
        Assert.Equal("Off", _home.State("stays-off"));

        var clock = System.Diagnostics.Stopwatch.StartNew();
        string[] started = _home.Ok("host", "start-vms").Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(["saved: StartIfRunning: Running", "shut: StartIfRunning: Running", "always: Start: Running"], started);
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(1), "always's start waits for its delay");
        Assert.Equal("Off", _home.State("cut"));
        Assert.Equal("Off", _home.State("stays-off"));
        Assert.False(File.Exists(Path.Combine(_home.Path, "running-at-stop.json")));
        Assert.Empty(_home.Ok("host", "start-vms").Stdout.Trim());
    }

    [Fact]
    public void A_Worker_That_Died_With_The_Host_Counts_As_Running_For_StartIfRunning()
    {
        _home.Ok("vm", "new", "web", "--append", Hold);
        _home.Ok("vm", "start", "web");
        using (var worker = System.Diagnostics.Process.GetProcessById(_home.Show("web").GetProperty("workerPid").GetInt32()))
        {
            worker.Kill();
            worker.WaitForExit(5000);
        }

        Assert.Equal("web: StartIfRunning: Running", _home.Ok("host", "start-vms").Stdout.Trim());
    }

    [Fact]
    public void Install_Service_Writes_A_Unit_That_Runs_The_Verbs_At_Boot_And_Shutdown_For_This_Store()
    {
        string unit = Path.Combine(_home.Path, "hypernest.service");

        string said = _home.Ok("host", "install-service", "--unit-path", unit, "--hnest", "/usr/local/bin/hnest").Stdout;

        string text = File.ReadAllText(unit);
        Assert.Contains("ExecStart=\"/usr/local/bin/hnest\" host start-vms", text);
        Assert.Contains("ExecStop=\"/usr/local/bin/hnest\" host stop-vms", text);
        Assert.Contains($"Environment=\"HYPERNEST_HOME={_home.Path}\"", text);
        Assert.Contains("WantedBy=multi-user.target", text);
        Assert.Contains("systemctl enable", said);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead, File.GetUnixFileMode(unit));
    }
}
