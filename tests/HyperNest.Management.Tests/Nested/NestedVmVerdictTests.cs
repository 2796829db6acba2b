using HyperNest.Management.Lifecycle;
using HyperNest.Management.Model;
using HyperNest.Management.Nested;
using HyperNest.Management.Worker;

namespace HyperNest.Management.Tests.Nested;

/// <summary>Get-NestedVirtStatus's per-VM verdict: every reason, warnings apart from blocking ones.</summary>
public sealed class NestedVmVerdictTests : IDisposable
{
    private readonly TempStore _temp = new();
    private readonly FakeHost _host = new();
    private readonly VmManager _manager;

    public NestedVmVerdictTests() => _manager = new VmManager(_temp.Store, new WorkerLauncher("/bin/false", []));

    public void Dispose()
    {
        _temp.Dispose();
        _host.Dispose();
    }

    private NestedVmVerdict Verdict(string name) => NestedVmVerdict.For(_manager.GetVm(name), _host.Verdict());

    [Fact]
    public void A_Fresh_Vm_Is_Not_Ready_Because_Extensions_Are_Not_Exposed_And_Warns_About_Mac_Spoofing()
    {
        _manager.NewVm(new NewVmOptions { Name = "web" });

        NestedVmVerdict verdict = Verdict("web");

        Assert.False(verdict.Ready);
        Assert.Equal(
            [NestedReasonCode.ExtensionsNotExposed, NestedReasonCode.MacSpoofingOff],
            verdict.Reasons.Select(r => r.Code));
        Assert.Equal(NestedReasonSeverity.Warning, verdict.Reasons[1].Severity);
        Assert.Contains("Set-VMNetworkAdapter -MacAddressSpoofing On", verdict.Reasons[1].Fix);
    }

    [Fact]
    public void A_Vm_Set_Up_As_The_Guide_Says_Is_Ready_With_No_Reasons()
    {
        _manager.NewVm(new NewVmOptions { Name = "lab" });
        _manager.SetProcessor("lab", new ProcessorChanges { ExposeVirtualizationExtensions = true, Count = 2 });
        _manager.SetNetworkAdapter("lab", "Network Adapter", new NetworkAdapterChanges { MacAddressSpoofing = true });

        NestedVmVerdict verdict = Verdict("lab");

        Assert.True(verdict.Ready);
        Assert.Empty(verdict.Reasons);
        Assert.True(verdict.Facts.ExtensionsExposed);
        Assert.Equal(2, verdict.Facts.ProcessorCount);
    }

    [Fact]
    public void A_Vm_That_Hosts_Vms_Is_Told_What_HyperNest_Does_Beyond_Hyper_V_And_Others_Are_Not()
    {
        _manager.NewVm(new NewVmOptions { Name = "lab" });
        _manager.NewVm(new NewVmOptions { Name = "web" });
        _manager.SetProcessor("lab", new ProcessorChanges { ExposeVirtualizationExtensions = true, Count = 2 });

        VmInfo lab = _manager.GetVm("lab");
        VmInfo linux = lab with { Configuration = lab.Configuration with { Boot = new VmBootSource { KernelPath = "/boot/vmlinuz" } } };

        IReadOnlyList<string> beyond = NestedVmVerdict.For(linux, _host.Verdict()).BeyondHyperV;
        Assert.Equal(2, beyond.Count);
        Assert.Contains("resized while it runs", beyond[0]);
        Assert.Contains("saved and restored while its own VMs run", beyond[1]);
        Assert.All(beyond, b => Assert.Contains("Hyper-V does not", b));
        Assert.Empty(Verdict("lab").BeyondHyperV); // the built-in guest has no driver to resize it with
        Assert.Empty(Verdict("web").BeyondHyperV);
    }

    [Fact]
    public void Dynamic_Memory_And_One_Vcpu_Are_Named()
    {
        _manager.NewVm(new NewVmOptions { Name = "lab" });
        _manager.SetProcessor("lab", new ProcessorChanges { ExposeVirtualizationExtensions = true });
        _manager.SetMemory("lab", new MemoryChanges { DynamicMemoryEnabled = true });

        NestedVmVerdict verdict = Verdict("lab");

        Assert.False(verdict.Ready);
        Assert.Contains(verdict.Reasons, r => r.Code == NestedReasonCode.DynamicMemoryEnabled && r.IsBlocking);
        Assert.Contains(verdict.Reasons, r => r.Code == NestedReasonCode.TooFewProcessors && !r.IsBlocking);
    }

    [Fact]
    public void A_Host_That_Cannot_Nest_Makes_Every_Vm_Not_Ready_With_The_Hosts_Reason()
    {
        _host.Module("kvm_pvm");
        _manager.NewVm(new NewVmOptions { Name = "lab" });
        _manager.SetProcessor("lab", new ProcessorChanges { ExposeVirtualizationExtensions = true, Count = 2 });

        NestedVmVerdict verdict = Verdict("lab");

        Assert.False(verdict.Ready);
        NestedReason host = Assert.Single(verdict.Reasons, r => r.Code == NestedReasonCode.HostUnsupported);
        Assert.Contains("kvm_pvm", host.Message);
    }
}
