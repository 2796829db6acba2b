using HyperNest.Kvm;
using HyperNest.Management.Model;
using HyperNest.Management.Store;

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

    public void Dispose() => Directory.Delete(Home, recursive: true);
}
