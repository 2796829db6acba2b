using HyperNest.Management.Lifecycle;
using HyperNest.Management.Model;
using HyperNest.Management.Nested;
using HyperNest.Management.Worker;

namespace HyperNest.Management.Tests.Lifecycle;

/// <summary>Enable-NestedVm's plan and its all-or-nothing application, on VMs that are off.</summary>
public sealed class EnableNestedTests : IDisposable
{
    private readonly TempStore _temp = new();
    private readonly VmManager _manager;

    public EnableNestedTests() => _manager = new VmManager(_temp.Store, new WorkerLauncher("/bin/false", []));

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void The_Plan_Lists_Every_Change_And_Changes_Nothing()
    {
        _manager.NewVm(new NewVmOptions { Name = "DemoVM", MemoryStartupBytes = 1UL << 30 });
        _manager.SetMemory("DemoVM", new MemoryChanges { DynamicMemoryEnabled = true });

        NestedEnablePlan plan = _manager.PlanEnableNested("DemoVM", new NestedEnableOptions { EnableMacSpoofing = true, RaiseMemoryToRecommended = true });

        Assert.Equal(
            [
                "expose virtualization extensions (ExposeVirtualizationExtensions = True)",
                "disable Dynamic Memory",
                "raise startup memory from 1024 MB to 4096 MB",
                "turn MAC address spoofing on for adapter 'Network Adapter'",
            ],
            plan.Steps);
        Assert.False(_manager.GetVm("DemoVM").Configuration.ExposeVirtualizationExtensions);
    }

    [Fact]
    public void Enable_Applies_The_Guides_Settings_And_A_Second_Call_Has_Nothing_To_Do()
    {
        _manager.NewVm(new NewVmOptions { Name = "DemoVM", MemoryStartupBytes = 1UL << 30 });
        _manager.SetMemory("DemoVM", new MemoryChanges { DynamicMemoryEnabled = true });
        var options = new NestedEnableOptions { EnableMacSpoofing = true, RaiseMemoryToRecommended = true };

        _manager.EnableNested("DemoVM", options);

        VmConfiguration config = _manager.GetVm("DemoVM").Configuration;
        Assert.True(config.ExposeVirtualizationExtensions);
        Assert.False(config.Memory.DynamicMemoryEnabled);
        Assert.Equal(4UL << 30, config.Memory.StartupBytes);
        Assert.All(config.NetworkAdapters, a => Assert.True(a.MacAddressSpoofing));

        NestedEnablePlan again = _manager.EnableNested("DemoVM", options);
        Assert.True(again.NothingToDo);
        Assert.Equal("'DemoVM' is already set up for nesting.", again.AlreadySetUpMessage);
    }

    [Fact]
    public void Declined_Options_Leave_Memory_And_Spoofing_As_They_Were()
    {
        _manager.NewVm(new NewVmOptions { Name = "DemoVM", MemoryStartupBytes = 1UL << 30 });

        _manager.EnableNested("DemoVM", new NestedEnableOptions());

        VmConfiguration config = _manager.GetVm("DemoVM").Configuration;
        Assert.True(config.ExposeVirtualizationExtensions);
        Assert.Equal(1UL << 30, config.Memory.StartupBytes);
        Assert.All(config.NetworkAdapters, a => Assert.False(a.MacAddressSpoofing));
    }

    [Fact]
    public void A_Failing_Step_Leaves_The_Old_Settings_Whole()
    {
        _manager.NewVm(new NewVmOptions { Name = "DemoVM" });
        _temp.Store.Writer.BeforeStep = step => throw new IOException($"disk full before {step}");

        Assert.Throws<VmStoreException>(() => _manager.EnableNested("DemoVM", new NestedEnableOptions { EnableMacSpoofing = true }));

        _temp.Store.Writer.BeforeStep = null;
        VmConfiguration config = _manager.GetVm("DemoVM").Configuration;
        Assert.False(config.ExposeVirtualizationExtensions);
        Assert.All(config.NetworkAdapters, a => Assert.False(a.MacAddressSpoofing));
    }
}
