using System.Text.Json;

namespace HyperNest.Cli.Tests.Commands;

/// <summary>A temporary HYPERNEST_HOME (short: the control socket path must fit in 108 bytes) and hnest run against it.</summary>
public sealed class VmHome : IDisposable
{
    /// <summary>A fresh store; with <paramref name="group"/>, hnest shares it with that group ($HYPERNEST_GROUP).</summary>
    public VmHome(string? group = null)
    {
        Path = System.IO.Path.Combine("/tmp", $"hn-{Guid.NewGuid().ToString("N")[..10]}");
        // Owner-only, as HyperNest makes a store: a wider one would be tightened, with a warning, on first use.
        Directory.CreateDirectory(Path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        Environment = group is null
            ? new Dictionary<string, string> { ["HYPERNEST_HOME"] = Path }
            : new Dictionary<string, string> { ["HYPERNEST_HOME"] = Path, ["HYPERNEST_GROUP"] = group };
    }

    public string Path { get; }

    public IReadOnlyDictionary<string, string> Environment { get; }

    public HnestProcess.Result Hnest(params string[] args) => HnestProcess.RunWithEnvironment(Environment, args);

    public Task<HnestProcess.Result> Start(params string[] args) => HnestProcess.StartWithEnvironment(Environment, args);

    /// <summary>Runs a command that must succeed.</summary>
    public HnestProcess.Result Ok(params string[] args)
    {
        HnestProcess.Result result = Hnest(args);
        Assert.True(result.ExitCode == 0, $"hnest {string.Join(' ', args)} exited {result.ExitCode}: {result.Stderr}");
        return result;
    }

    /// <summary>Runs a command that must fail as bad input: exit code 2 and exactly one line on stderr; returns the line.</summary>
    public string Fails(params string[] args)
    {
        HnestProcess.Result result = Hnest(args);
        Assert.True(result.ExitCode == 2, $"hnest {string.Join(' ', args)} exited {result.ExitCode}: {result.Stderr}");
        return Assert.Single(result.StderrLines);
    }

    public JsonElement Show(string name)
    {
        using JsonDocument document = JsonDocument.Parse(Ok("vm", "show", name, "--json").Stdout);
        return document.RootElement.Clone();
    }

    public string State(string name) => Show(name).GetProperty("state").GetString()!;

    /// <summary>A switch recorded in this home, its bridge absent: see <see cref="SwitchRecord"/>.</summary>
    public void AddSwitchRecord(string name) => SwitchRecord.Write(Path, name);

    public string VmFolder(string name) => System.IO.Path.Combine(Path, "vms", Show(name).GetProperty("configuration").GetProperty("id").GetString()!);

    public void Dispose()
    {
        // Workers left running by a failed test are turned off before their folder goes.
        foreach (string vm in Directory.Exists(System.IO.Path.Combine(Path, "vms")) ? Directory.GetDirectories(System.IO.Path.Combine(Path, "vms")) : [])
        {
            Hnest("vm", "stop", System.IO.Path.GetFileName(vm), "--turn-off");
        }

        // Switches a test made on the host (root only) go with their bridges.
        string switchRecords = System.IO.Path.Combine(Path, "switches");
        foreach (string record in Directory.Exists(switchRecords) ? Directory.GetFiles(switchRecords, "*.json") : [])
        {
            Hnest("switch", "remove", System.IO.Path.GetFileNameWithoutExtension(record));
        }

        Directory.Delete(Path, recursive: true);
    }
}
