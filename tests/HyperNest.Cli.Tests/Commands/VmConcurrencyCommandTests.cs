using HyperNest.Kvm;

namespace HyperNest.Cli.Tests.Commands;

/// <summary>Commands from separate processes: serialised per VM by its lock, independent across VMs.</summary>
public sealed class VmConcurrencyCommandTests : IDisposable
{
    private readonly VmHome _home = new();

    public void Dispose() => _home.Dispose();

    [Fact]
    public async Task Two_Processes_Changing_One_Vm_Both_Succeed_And_Neither_Change_Is_Lost()
    {
        _home.Ok("vm", "new", "web");

        Task<HnestProcess.Result> memory = _home.Start("vm", "set-memory", "web", "--startup", "1G");
        Task<HnestProcess.Result> expose = _home.Start("vm", "set-processor", "web", "--expose-virtualization-extensions", "true");
        HnestProcess.Result[] results = await Task.WhenAll(memory, expose);

        Assert.All(results, r => Assert.Equal(0, r.ExitCode));
        System.Text.Json.JsonElement config = _home.Show("web").GetProperty("configuration");
        Assert.Equal(1UL << 30, config.GetProperty("memory").GetProperty("startupBytes").GetUInt64());
        Assert.True(config.GetProperty("exposeVirtualizationExtensions").GetBoolean());
    }

    [Fact]
    public async Task A_Change_Waits_For_The_Vms_Lock_While_Another_Vm_Is_Not_Blocked()
    {
        _home.Ok("vm", "new", "a");
        _home.Ok("vm", "new", "b");
        string lockA = Path.Combine(_home.VmFolder("a"), "vm.lock");

        Task<HnestProcess.Result> onA;
        using (FileLock.Acquire(lockA, HostFileAccess.OwnerOnly))
        {
            onA = _home.Start("vm", "set-memory", "a", "--startup", "1G");
            HnestProcess.Result onB = _home.Hnest("vm", "set-memory", "b", "--startup", "1G");

            Assert.Equal(0, onB.ExitCode);
            await WaitUntilSomeoneWaitsFor(lockA, onA);
            Assert.False(onA.IsCompleted, "the change to 'a' finished while another process held its lock");
        }

        HnestProcess.Result resultA = await onA.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(0, resultA.ExitCode);
        Assert.Equal(1UL << 30, _home.Show("a").GetProperty("configuration").GetProperty("memory").GetProperty("startupBytes").GetUInt64());
    }

    /// <summary>
    /// Waits until a process is blocked in flock(2) on <paramref name="lockFile"/> (held here): /proc/locks lists such
    /// a waiter as "-> FLOCK ... MAJ:MIN:INODE". Fails if <paramref name="change"/> ends first, or after a minute.
    /// </summary>
    private static async Task WaitUntilSomeoneWaitsFor(string lockFile, Task change)
    {
        string key = LockKey(lockFile);
        DateTime deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!File.ReadLines("/proc/locks").Any(l => l.Contains("-> FLOCK", StringComparison.Ordinal) && l.Split(' ', StringSplitOptions.RemoveEmptyEntries).Contains(key)))
        {
            Assert.False(change.IsCompleted, $"the change ended without waiting for {lockFile}, which another process held");
            Assert.True(DateTime.UtcNow < deadline, $"no process waited for {lockFile} within a minute");
            await Task.Delay(20);
        }
    }

    /// <summary>A file's device and inode as /proc/locks prints them: major and minor in hex, inode in decimal.</summary>
    private static string LockKey(string path)
    {
        var start = new System.Diagnostics.ProcessStartInfo("stat") { RedirectStandardOutput = true };
        foreach (string arg in new[] { "-c", "%Hd %Ld %i", path })
        {
            start.ArgumentList.Add(arg);
        }

        using var stat = System.Diagnostics.Process.Start(start)!;
        string[] fields = stat.StandardOutput.ReadToEnd().Split(' ', StringSplitOptions.TrimEntries);
        stat.WaitForExit();
        Assert.True(stat.ExitCode == 0 && fields.Length == 3, $"stat {path} failed");
        System.Globalization.CultureInfo invariant = System.Globalization.CultureInfo.InvariantCulture;
        return $"{int.Parse(fields[0], invariant):x2}:{int.Parse(fields[1], invariant):x2}:{fields[2]}";
    }
}
