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
        using (FileLock.Acquire(lockA))
        {
            onA = _home.Start("vm", "set-memory", "a", "--startup", "1G");
            HnestProcess.Result onB = _home.Hnest("vm", "set-memory", "b", "--startup", "1G");

            Assert.Equal(0, onB.ExitCode);
            await Task.Delay(TimeSpan.FromSeconds(1.5));
            Assert.False(onA.IsCompleted, "the change to 'a' finished while another process held its lock");
        }

        HnestProcess.Result resultA = await onA.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(0, resultA.ExitCode);
        Assert.Equal(1UL << 30, _home.Show("a").GetProperty("configuration").GetProperty("memory").GetProperty("startupBytes").GetUInt64());
    }
}
