using HyperNest.Management.Accelerators;
using HyperNest.Management.Lifecycle;
using HyperNest.Management.Model;
using HyperNest.Management.Nested;
using HyperNest.Management.Worker;

namespace HyperNest.Management.Tests.Nested;

/// <summary>The guide's rules for a VM that hosts VMs, through the one VmManager both front ends call.</summary>
public sealed class NestedRulesTests : IDisposable
{
    private readonly TempStore _temp = new();
    private readonly FakeHost _host = new();

    public void Dispose()
    {
        _temp.Dispose();
        _host.Dispose();
    }

    private VmManager Manager(Func<NestedHostVerdict>? verdict = null) =>
        new(_temp.Store, new WorkerLauncher("/bin/false", [])) { HostVerdict = verdict ?? _host.Verdict };

    [Fact]
    public void Start_Fails_When_Nested_And_DynamicMemory_Both_On()
    {
        VmManager manager = Manager();
        manager.NewVm(new NewVmOptions { Name = "lab" });
        manager.SetMemory("lab", new MemoryChanges { DynamicMemoryEnabled = true });
        manager.SetProcessor("lab", new ProcessorChanges { ExposeVirtualizationExtensions = true });

        var error = Assert.Throws<VmValidationException>(() => manager.Start("lab"));

        Assert.Contains("cannot use Dynamic Memory", error.Message);
    }

    [Fact]
    public void Start_Fails_Before_The_Guest_Runs_With_The_Hosts_Precise_Reason()
    {
        _host.Module("kvm_pvm");
        VmManager manager = Manager();
        // On the kvm accelerator the host's verdict decides; the emulated host's KVM always offers SVM.
        manager.NewVm(new NewVmOptions { Name = "lab", Accelerator = Accelerator.Kvm });
        manager.SetProcessor("lab", new ProcessorChanges { ExposeVirtualizationExtensions = true, Count = 2 });

        var error = Assert.Throws<VmOperationException>(() => manager.Start("lab"));

        Assert.Contains("'lab' cannot start with virtualization extensions exposed", error.Message);
        Assert.Contains("kvm_pvm", error.Message);
        Assert.Equal(VmState.Off, manager.GetVm("lab").State);
    }

    [Fact]
    public void Start_Without_Exposed_Extensions_Does_Not_Consult_The_Host()
    {
        VmManager manager = Manager(() => throw new InvalidOperationException("the host verdict must not be needed"));
        manager.NewVm(new NewVmOptions { Name = "plain" });

        // /bin/false stands in for the worker: the start fails later, for its own reason, not the host's.
        Assert.Throws<VmOperationException>(() => manager.Start("plain"));
    }

    [Theory]
    [InlineData(NestedRestrictedOperation.ApplyCheckpointToRunningVm, "Cannot apply a checkpoint to a running VM")]
    [InlineData(NestedRestrictedOperation.LiveMigration, "Cannot live-migrate a VM")]
    public void Restricted_Operations_Are_Refused_When_Extensions_Are_Exposed(NestedRestrictedOperation operation, string expected)
    {
        VmConfiguration nested = TempStore.NewConfig("lab") with { ExposeVirtualizationExtensions = true };

        var error = Assert.Throws<VmOperationException>(() => NestedRules.EnsureAllowed(nested, operation));

        Assert.StartsWith(expected, error.Message);
        Assert.Contains("exposes virtualization extensions", error.Message);
    }

    [Theory]
    [InlineData(NestedRestrictedOperation.ApplyCheckpointToRunningVm)]
    [InlineData(NestedRestrictedOperation.LiveMigration)]
    public void Restricted_Operations_Are_Not_Nesteds_Business_Without_Extensions(NestedRestrictedOperation operation) =>
        Assert.Null(Record.Exception(() => NestedRules.EnsureAllowed(TempStore.NewConfig("plain"), operation)));

    [Fact]
    public void Fewer_Than_Two_Vcpus_On_A_Nested_Vm_Is_A_Warning_Not_An_Error()
    {
        VmConfiguration nested = TempStore.NewConfig("lab") with { ExposeVirtualizationExtensions = true, ProcessorCount = 1 };

        Assert.Contains("recommends at least 2", NestedRules.StartWarning(nested));
        Assert.Null(NestedRules.StartWarning(nested with { ProcessorCount = 2 }));
        Assert.Null(NestedRules.StartWarning(nested with { ExposeVirtualizationExtensions = false }));
    }
}
