using HyperNest.Management.Model;

namespace HyperNest.Management.Tests.Model;

/// <summary>Set-VMMemory on a running VM: what Hyper-V lets change while the VM runs, and what it refuses.</summary>
public sealed class RuntimeMemoryRulesTests
{
    private const ulong MiB = VmMemorySettings.MiB;

    private static readonly VmMemorySettings DynamicVm = new()
    {
        StartupBytes = 1024 * MiB, DynamicMemoryEnabled = true, MinimumBytes = 512 * MiB, MaximumBytes = 2048 * MiB,
    };

    private static readonly VmMemorySettings StaticVm = new() { StartupBytes = 1024 * MiB };

    private static string Refusal(VmMemorySettings current, MemoryChanges changes) =>
        Assert.Throws<VmValidationException>(() => RuntimeMemoryRules.Check("web", current, VmValidation.ApplyMemory("web", current, changes))).Message;

    private static void Allowed(VmMemorySettings current, MemoryChanges changes) =>
        RuntimeMemoryRules.Check("web", current, VmValidation.ApplyMemory("web", current, changes));

    [Fact]
    public void Raising_Maximum_Lowering_Minimum_Buffer_And_Priority_Are_Allowed()
    {
        Allowed(DynamicVm, new MemoryChanges { MaximumBytes = 4096 * MiB });
        Allowed(DynamicVm, new MemoryChanges { MinimumBytes = 256 * MiB });
        Allowed(DynamicVm, new MemoryChanges { Buffer = 50 });
        Allowed(DynamicVm, new MemoryChanges { Priority = 80 });
    }

    [Fact]
    public void Lowering_Maximum_Is_Refused() =>
        Assert.Equal(
            "Failed to modify device 'Memory' of 'web': the maximum amount of memory cannot be decreased while the virtual machine is running (1024 MB < 2048 MB).",
            Refusal(DynamicVm, new MemoryChanges { MaximumBytes = 1024 * MiB }));

    [Fact]
    public void Raising_Minimum_Is_Refused() =>
        Assert.Equal(
            "Failed to modify device 'Memory' of 'web': the minimum amount of memory cannot be increased while the virtual machine is running (768 MB > 512 MB).",
            Refusal(DynamicVm, new MemoryChanges { MinimumBytes = 768 * MiB }));

    [Fact]
    public void Startup_Of_A_Dynamic_Vm_Is_Refused_While_It_Runs() =>
        Assert.Contains("the startup amount of memory of a virtual machine with Dynamic Memory cannot be changed while it is running",
            Refusal(DynamicVm, new MemoryChanges { StartupBytes = 1536 * MiB }));

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Turning_Dynamic_Memory_On_Or_Off_Is_Refused_While_It_Runs(bool from)
    {
        VmMemorySettings current = from ? DynamicVm : StaticVm;

        Assert.Contains("Dynamic Memory cannot be turned on or off while the virtual machine is running",
            Refusal(current, new MemoryChanges { DynamicMemoryEnabled = !from }));
    }

    [Theory]
    [InlineData(2048UL)]
    [InlineData(512UL)]
    public void A_Static_Vm_Is_Resized_Up_And_Down_While_It_Runs(ulong startupMiB) =>
        Allowed(StaticVm, new MemoryChanges { StartupBytes = startupMiB * MiB });

    [Fact]
    public void Nothing_Changed_Is_Always_Allowed() => Allowed(DynamicVm, new MemoryChanges());
}
