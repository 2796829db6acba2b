using System.Diagnostics;
using System.Text.Json;

namespace HyperNest.Cli.Tests.Commands;

/// <summary>
/// A running VM's adapter on a virtual switch: its TAP device on the switch's bridge while the VM runs, changes that
/// take effect at once, and no TAP left behind however the worker ends. The built-in guest held up with
/// hnest.hold=1 on this host's KVM: the guest does not matter, the ports do.
/// </summary>
public sealed class VmAdapterPortTests : IDisposable
{
    private const string Adapter = "Network Adapter";
    private readonly VmHome _home = new();
    private readonly string _switch = HostNetAdmin.UniqueName("hnt");
    private string? _orphanBridge;

    public void Dispose()
    {
        _home.Hnest("vm", "stop", "web", "--turn-off");
        _home.Hnest("switch", "remove", _switch);
        if (_orphanBridge is not null)
        {
            HostNetAdmin.TryIp("link", "del", "dev", _orphanBridge);
        }

        _home.Dispose();
    }

    [SkippableFact]
    [Trait("Requires", "kvm")]
    public void The_Port_Follows_The_Running_Vm_Leaves_Nothing_After_20_Kills_And_Is_Disconnected_With_Its_Switch()
    {
        Skip.IfNot(HostNetAdmin.Usable, HostNetAdmin.WhyNot);
        Skip.IfNot(HostKvm.Usable, HostKvm.WhyNot);
        string bridge = NewRunningVm();
        string tap = Port().GetProperty("hostInterface").GetString()!;

        Assert.Equal(bridge, MasterOf(tap));
        Assert.Equal("Ok", Adapters()[0].GetProperty("status").GetString());

        _home.Ok("vm", "adapter", "set", "web", Adapter, "--mac-address-spoofing", "On");
        Assert.True(Port().GetProperty("macAddressSpoofing").GetBoolean());

        _home.Ok("vm", "adapter", "disconnect", "web", Adapter);
        Assert.Null(MasterOf(tap));
        Assert.Equal(JsonValueKind.Null, Port().GetProperty("switchName").ValueKind);

        _home.Ok("vm", "adapter", "connect", "web", Adapter, _switch);
        Assert.Equal(bridge, MasterOf(tap));

        for (int round = 0; round < 20; round++)
        {
            KillWorker();
            Assert.True(Wait(() => !Directory.Exists($"/sys/class/net/{tap}")), $"round {round}: {tap} outlived its worker");
            _home.Ok("vm", "start", "web");
            Assert.Equal(bridge, MasterOf(tap));
        }

        _home.Ok("switch", "remove", _switch);
        Assert.Null(MasterOf(tap));
        Assert.Equal(JsonValueKind.Null, Port().GetProperty("switchName").ValueKind);
        Assert.Equal(JsonValueKind.Null, Adapters()[0].GetProperty("switchName").ValueKind);

        _home.Ok("vm", "stop", "web", "--turn-off");
        Assert.False(Directory.Exists($"/sys/class/net/{tap}"));
    }

    [SkippableFact]
    [Trait("Requires", "kvm")]
    public void A_Start_Whose_Switch_Is_Gone_Is_Refused_Naming_The_Switch()
    {
        Skip.IfNot(HostNetAdmin.Usable, HostNetAdmin.WhyNot);
        Skip.IfNot(HostKvm.Usable, HostKvm.WhyNot);
        _home.Ok("switch", "new", _switch, "--type", "private");
        _home.Ok("vm", "new", "web", "--memory", "64M", "--switch", _switch);
        using (JsonDocument shown = JsonDocument.Parse(_home.Ok("switch", "show", _switch, "--json").Stdout))
        {
            _orphanBridge = shown.RootElement.GetProperty("switch").GetProperty("bridgeName").GetString();
        }

        // The record vanishes behind HyperNest's back (a store copied without its switches).
        foreach (string record in Directory.GetFiles(Path.Combine(_home.Path, "switches"), "*.json"))
        {
            File.Delete(record);
        }

        HnestProcess.Result start = _home.Hnest("vm", "start", "web");

        Assert.NotEqual(0, start.ExitCode);
        Assert.Contains(_switch, Assert.Single(start.StderrLines), StringComparison.Ordinal);
        Assert.Matches(@"\bOff\b", _home.Ok("vm", "list").Stdout);
        Assert.DoesNotContain(Directory.GetDirectories("/sys/class/net"), d => Path.GetFileName(d).StartsWith(TapPrefix(), StringComparison.Ordinal));
    }

    private string NewRunningVm()
    {
        _home.Ok("switch", "new", _switch, "--type", "private");
        _home.Ok("vm", "new", "web", "--memory", "64M", "--switch", _switch);
        _home.Ok("vm", "set-boot", "web", "--append", "hnest.hold=1");
        _home.Ok("vm", "start", "web");
        using JsonDocument shown = JsonDocument.Parse(_home.Ok("switch", "show", _switch, "--json").Stdout);
        return shown.RootElement.GetProperty("switch").GetProperty("bridgeName").GetString()!;
    }

    private JsonElement[] Adapters() =>
        [.. JsonDocument.Parse(_home.Ok("vm", "adapter", "list", "web", "--json").Stdout).RootElement.EnumerateArray()];

    private JsonElement Port() => Adapters()[0].GetProperty("port");

    private string TapPrefix() => "hn" + _home.Show("web").GetProperty("configuration").GetProperty("id").GetString()!.Replace("-", "")[..8];

    private static string? MasterOf(string device)
    {
        string link = $"/sys/class/net/{device}/master";
        return File.Exists(link) || Directory.Exists(link) ? Path.GetFileName(new FileInfo(link).LinkTarget) : null;
    }

    private void KillWorker()
    {
        string runtime = File.ReadAllText(Directory.GetFiles(Path.Combine(_home.Path, "vms"), "runtime.json", SearchOption.AllDirectories).Single());
        int pid = JsonDocument.Parse(runtime).RootElement.GetProperty("pid").GetInt32();
        Process.GetProcessById(pid).Kill();
    }

    private static bool Wait(Func<bool> condition)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(10))
            {
                return false;
            }

            Thread.Sleep(20);
        }

        return true;
    }
}
