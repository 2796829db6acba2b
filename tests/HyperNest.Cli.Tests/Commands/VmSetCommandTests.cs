using System.Text.Json;

namespace HyperNest.Cli.Tests.Commands;

/// <summary><c>hnest vm set</c> (Set-VM) and <c>hnest vm rename</c> (Rename-VM).</summary>
public sealed class VmSetCommandTests : IDisposable
{
    private readonly VmHome _home = new();

    public void Dispose() => _home.Dispose();

    [Fact]
    public void Set_Stores_Processors_Memory_Notes_And_Automatic_Actions_And_Show_Lists_Them()
    {
        _home.Ok("vm", "new", "web");

        _home.Ok("vm", "set", "web", "--cpus", "1", "--memory", "1G", "--dynamic-memory", "--memory-maximum", "2G", "--notes", "front end",
            "--automatic-start-action", "start", "--automatic-start-delay", "15", "--automatic-stop-action", "ShutDown");

        JsonElement config = _home.Show("web").GetProperty("configuration");
        Assert.Equal(1L << 30, config.GetProperty("memory").GetProperty("startupBytes").GetInt64());
        Assert.True(config.GetProperty("memory").GetProperty("dynamicMemoryEnabled").GetBoolean());
        Assert.Equal(2L << 30, config.GetProperty("memory").GetProperty("maximumBytes").GetInt64());
        Assert.Equal("front end", config.GetProperty("notes").GetString());
        Assert.Equal("Start", config.GetProperty("automaticStartAction").GetString());
        Assert.Equal(15, config.GetProperty("automaticStartDelay").GetInt32());
        Assert.Equal("ShutDown", config.GetProperty("automaticStopAction").GetString());
        string details = _home.Ok("vm", "show", "web").Stdout;
        Assert.Matches(@"Notes\s+: front end", details);
        Assert.Matches(@"AutomaticStopAction\s+: ShutDown", details);
    }

    [Fact]
    public void Set_Without_Accel_Leaves_The_Accelerator_As_It_Is()
    {
        _home.Ok("vm", "new", "web", "--accel", "emulated");

        _home.Ok("vm", "set", "web", "--notes", "x");

        Assert.Equal("Emulated", _home.Show("web").GetProperty("configuration").GetProperty("accelerator").GetString());
    }

    [Theory]
    [InlineData("--automatic-start-action 'always': expected StartIfRunning, Nothing, Start", "--automatic-start-action", "always")]
    [InlineData("--automatic-stop-action '1': expected Save, TurnOff, ShutDown", "--automatic-stop-action", "1")]
    [InlineData("--automatic-stop-action ' 1': expected Save, TurnOff, ShutDown", "--automatic-stop-action", " 1")]
    [InlineData("--automatic-stop-action 'Save, TurnOff': expected Save, TurnOff, ShutDown", "--automatic-stop-action", "Save, TurnOff")]
    [InlineData("--automatic-start-action 'Start?[2J': expected StartIfRunning, Nothing, Start", "--automatic-start-action", "Start\u001b[2J")]
    [InlineData("The automatic start delay -5 is not valid: give 0 or more seconds.", "--automatic-start-delay", "-5")]
    [InlineData("--dynamic-memory and --static-memory cannot be given together", "--dynamic-memory", "--static-memory")]
    [InlineData("--memory '1X' is not a size (expected e.g. 512M or 2G)", "--memory", "1X")]
    public void Bad_Input_Is_One_Line_Exit_2_And_Changes_Nothing(string message, params string[] args)
    {
        _home.Ok("vm", "new", "web");
        string before = File.ReadAllText(Path.Combine(_home.VmFolder("web"), "config.json"));

        Assert.Equal($"hnest: {message}", _home.Fails(["vm", "set", "web", "--notes", "x", .. args]));

        Assert.Equal(before, File.ReadAllText(Path.Combine(_home.VmFolder("web"), "config.json")));
    }

    [Fact]
    public void A_Running_Vm_Is_Renamed_And_Its_Worker_Goes_On_While_Its_Processors_Stay_As_They_Are()
    {
        _home.Ok("vm", "new", "web", "--append", "hnest.hold=1");
        _home.Ok("vm", "start", "web");
        int pid = _home.Show("web").GetProperty("workerPid").GetInt32();

        _home.Ok("vm", "rename", "web", "web-old");
        Assert.Equal("hnest: Cannot change the processor count of 'web-old' while it is Running: the virtual machine must be Off.",
            _home.Fails("vm", "set", "web-old", "--cpus", "2", "--notes", "not stored"));

        JsonElement vm = _home.Show("web-old");
        Assert.Equal("Running", vm.GetProperty("state").GetString());
        Assert.Equal(pid, vm.GetProperty("workerPid").GetInt32());
        Assert.Equal(JsonValueKind.Null, vm.GetProperty("configuration").GetProperty("notes").ValueKind);
        Assert.Equal("hnest: HyperNest was unable to find a virtual machine with name \"web\".", _home.Fails("vm", "show", "web"));
        Assert.Equal("web-old: Off (turned off (power cut requested by the host))", _home.Ok("vm", "stop", "web-old", "--turn-off").Stdout.Trim());
    }

    [Fact]
    public void Rename_To_Another_Vms_Name_Is_Refused()
    {
        _home.Ok("vm", "new", "web");
        _home.Ok("vm", "new", "db");

        Assert.Equal("hnest: A virtual machine named 'Web' already exists.", _home.Fails("vm", "rename", "db", "Web"));
        Assert.Equal("hnest: A virtual machine named 'Web' already exists.", _home.Fails("vm", "set", "db", "--new-name", "Web"));
    }
}
