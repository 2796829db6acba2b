using System.Text.Json;
using HyperNest.Kvm;
using HyperNest.Management.Model;
using HyperNest.Management.Store;
using HyperNest.Management.Worker;

namespace HyperNest.Management.Tests;

/// <summary>A store in a fresh temporary directory, deleted afterwards.</summary>
public sealed class TempStore : IDisposable
{
    /// <summary>A store whose files get <paramref name="access"/> (by default the access model's choice for it).</summary>
    public TempStore(HostFileAccess? access = null)
    {
        Home = Path.Combine(Path.GetTempPath(), $"hnest-test-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Home, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        Store = new VmStore(Home, access);
    }

    public string Home { get; }

    public VmStore Store { get; }

    public static VmConfiguration NewConfig(string name) => new() { Id = Guid.NewGuid(), Name = name, CreationTime = DateTimeOffset.UtcNow };

    public VmConfiguration Add(string name)
    {
        VmConfiguration config = NewConfig(name);
        Store.Save(config);
        return config;
    }

    /// <summary>
    /// Pretends a worker runs VM <paramref name="id"/> in <paramref name="state"/>: this test process stands in for it
    /// (alive, known start time), unless <paramref name="startTicks"/> says another process (one that ended).
    /// </summary>
    public void FakeWorker(Guid id, VmState state, int? pid = null, long? startTicks = null)
    {
        HostProcess self = HostProcess.Current;
        var record = new RuntimeRecord { Pid = pid ?? self.Pid, ProcessStartTicks = startTicks ?? self.StartTicks, State = state, StartedAt = DateTimeOffset.UtcNow.AddMinutes(-1) };
        File.WriteAllBytes(Store.Folder(id).RuntimeFile, JsonSerializer.SerializeToUtf8Bytes(record, ManagementJsonContext.Default.RuntimeRecord));
    }

    public void Dispose() => Directory.Delete(Home, recursive: true);
}
