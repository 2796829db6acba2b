using HyperNest.Kvm;
using HyperNest.Management.Nested;

namespace HyperNest.Management.Tests.Nested;

/// <summary>Each reason a host cannot run nested guests, against a fabricated host that has only that problem.</summary>
public sealed class NestedHostVerdictTests : IDisposable
{
    private readonly FakeHost _host = new();

    public void Dispose() => _host.Dispose();

    [Fact]
    public void An_Amd_Host_With_Svm_Nested_On_And_Svm_Offered_Is_Supported()
    {
        NestedHostVerdict verdict = _host.Verdict();

        Assert.True(verdict.Supported);
        Assert.Empty(verdict.Reasons);
        Assert.Null(verdict.FirstBlockingReason());
    }

    [Fact]
    public void An_Intel_Host_With_Vmx_Nested_On_And_Vmx_Offered_Is_Supported()
    {
        _host.Module("kvm_intel", nested: "Y").CpuInfo("GenuineIntel", "fpu vmx ept");
        _host.Query = _ => FakeHost.Answer(12, leaf1Ecx: FakeHost.Vmx, ext1Ecx: 0);

        Assert.True(_host.Verdict().Supported);
    }

    [Fact]
    public void A_Cpu_Without_Vmx_Or_Svm_Is_Named()
    {
        _host.CpuInfo("AuthenticAMD", "fpu vme lm");

        NestedReason reason = OnlyReason(NestedReasonCode.NoVirtualizationExtensions);

        Assert.Equal("this CPU (or the VM this host runs in) shows no vmx/svm flag", reason.Message);
        Assert.Contains("firmware", reason.Fix);
    }

    [Fact]
    public void A_Vm_Host_Without_Vmx_Or_Svm_Is_Told_To_Enable_It_On_The_Outer_Hypervisor()
    {
        _host.CpuInfo("GenuineIntel", "fpu vme lm hypervisor");

        NestedReason reason = OnlyReason(NestedReasonCode.HostIsVmWithoutNested);

        Assert.StartsWith("this host is itself a VM (hypervisor flag) that was not given nested virtualization", reason.Message);
        Assert.Contains("no vmx/svm flag", reason.Message);
        Assert.StartsWith("enable it on the outer hypervisor", reason.Fix);
        Assert.Contains("-ExposeVirtualizationExtensions $true", reason.Fix);
    }

    [Theory]
    [InlineData("kvm_amd", "0")]
    [InlineData("kvm_intel", "N")]
    public void Vendor_Module_With_Nested_Off_Gets_The_Modprobe_Fix(string module, string value)
    {
        _host.Module(module, nested: value).CpuInfo("x", "vmx svm");
        _host.Query = _ => FakeHost.Answer(12, leaf1Ecx: FakeHost.Vmx, ext1Ecx: FakeHost.Svm);

        NestedReason reason = OnlyReason(NestedReasonCode.NestedParameterOff);

        Assert.StartsWith($"{module} nested={value}:", reason.Message);
        Assert.StartsWith($"run `echo 'options {module} nested=1' > /etc/modprobe.d/kvm.conf` and reload the module (all VMs off)", reason.Fix);
    }

    [Fact]
    public void Nested_Off_Usually_Also_Hides_Svm_From_The_Supported_Cpuid_Which_Is_Named_As_A_Consequence()
    {
        _host.Module("kvm_amd", nested: "0");
        _host.Query = _ => FakeHost.Answer(12, 0, 0);

        NestedHostVerdict verdict = _host.Verdict();

        Assert.Equal([NestedReasonCode.NestedParameterOff, NestedReasonCode.SupportedCpuidLacksExtensions], verdict.Reasons.Select(r => r.Code));
        Assert.StartsWith("follows from the reasons above", verdict.Reasons[1].Fix);
    }

    [Fact]
    public void Pvm_Is_Named_As_Emulated_Guest_Kernel_Mode_That_Cannot_Expose_Extensions()
    {
        _host.Module("kvm_pvm");
        _host.Query = _ => FakeHost.Answer(12, 0, 0);

        NestedHostVerdict verdict = _host.Verdict();

        Assert.False(verdict.Supported);
        NestedReason first = verdict.FirstBlockingReason()!;
        Assert.Equal(NestedReasonCode.PvmFlavour, first.Code);
        Assert.Equal("this host's KVM is kvm_pvm (PVM): guest kernel mode is emulated and VMX/SVM cannot be exposed to guests", first.Message);
        Assert.Contains(verdict.Reasons, r => r.Code == NestedReasonCode.SupportedCpuidLacksExtensions);
    }

    [Fact]
    public void Supported_Cpuid_Without_Vmx_Or_Svm_Is_Named_With_Kvm_Get_Supported_Cpuid()
    {
        _host.Query = _ => FakeHost.Answer(12, 0, 0);

        NestedReason reason = OnlyReason(NestedReasonCode.SupportedCpuidLacksExtensions);

        Assert.Contains("KVM_GET_SUPPORTED_CPUID", reason.Message);
        Assert.Contains("kvm_amd with nested=1", reason.Fix);
    }

    [Fact]
    public void A_Missing_Device_Is_Named_With_The_Module_To_Load()
    {
        _host.NoDevice();

        NestedReason reason = OnlyReason(NestedReasonCode.KvmDeviceMissing);

        Assert.EndsWith("dev/kvm does not exist: this host has no KVM", reason.Message);
        Assert.StartsWith("load KVM: `modprobe kvm_amd` creates ", reason.Fix);
    }

    [Fact]
    public void No_Kvm_Device_Is_The_Root_Cause_And_The_Cpu_Flags_Reason_Stays()
    {
        _host.NoDevice().NoModule().CpuInfo("AuthenticAMD", "fpu hypervisor");

        NestedHostVerdict verdict = _host.Verdict();

        Assert.Equal([NestedReasonCode.KvmDeviceMissing, NestedReasonCode.HostIsVmWithoutNested], verdict.Reasons.Select(r => r.Code));
        Assert.Equal(NestedReasonCode.KvmDeviceMissing, verdict.FirstBlockingReason()!.Code);
        Assert.Contains("comes from kvm_intel or kvm_amd, which need the CPU's vmx/svm flag: fix the reason below, then `modprobe kvm_amd`",
            verdict.Reasons[0].Fix);
    }

    [Fact]
    public void No_Kvm_Device_Gives_No_Pvm_Reason()
    {
        _host.NoDevice().Module("kvm_pvm").CpuInfo("AuthenticAMD", "fpu lm hypervisor");

        NestedHostVerdict verdict = _host.Verdict();

        Assert.False(verdict.Supported);
        Assert.Equal([NestedReasonCode.KvmDeviceMissing, NestedReasonCode.HostIsVmWithoutNested], verdict.Reasons.Select(r => r.Code));
        Assert.All(verdict.Reasons, r =>
        {
            Assert.DoesNotContain("PVM", r.Message + r.Fix, StringComparison.Ordinal);
            Assert.DoesNotContain("kvm_pvm", r.Message + r.Fix, StringComparison.Ordinal);
            Assert.DoesNotContain("guest kernel mode", r.Message + r.Fix, StringComparison.Ordinal);
        });
        Assert.Equal(GuestKernelMode.Unknown, verdict.Facts.GuestKernelMode);
    }

    [Fact]
    public void A_Pvm_Device_That_Cannot_Be_Opened_Still_Names_Pvm_First()
    {
        _host.Module("kvm_pvm").CpuInfo("AuthenticAMD", "fpu hypervisor");
        _host.Query = path => throw new KvmException($"open {path}", Errno.EACCES);

        NestedHostVerdict verdict = _host.Verdict();

        Assert.Equal(
            [NestedReasonCode.PvmFlavour, NestedReasonCode.HostIsVmWithoutNested, NestedReasonCode.KvmDeviceInaccessible],
            verdict.Reasons.Select(r => r.Code));
    }

    [Fact]
    public void A_Registered_Kvm_Device_Without_Its_Node_Gets_The_Mknod_Fix()
    {
        _host.NoDevice().MiscDevice("10:232");

        NestedReason reason = OnlyReason(NestedReasonCode.KvmDeviceMissing);

        Assert.StartsWith("the kernel registered KVM (misc device 10:232) but the device node is missing", reason.Fix);
        Assert.Contains("c 10 232`", reason.Fix);
    }

    [Theory]
    [InlineData(Errno.EACCES)]
    [InlineData(Errno.EPERM)]
    public void A_Device_Without_Permission_Is_Named_With_The_Kvm_Group(int errno)
    {
        _host.Query = path => throw new KvmException($"open {path}", errno);

        NestedReason reason = OnlyReason(NestedReasonCode.KvmDeviceInaccessible);

        Assert.StartsWith("no permission to open ", reason.Message);
        Assert.Equal("run as root or join the 'kvm' group", reason.Fix);
    }

    [Fact]
    public void A_Device_That_Fails_Otherwise_Carries_The_Error()
    {
        _host.Query = _ => throw new KvmException("KVM_GET_SUPPORTED_CPUID", Errno.EINVAL);

        NestedReason reason = OnlyReason(NestedReasonCode.KvmDeviceInaccessible);

        Assert.EndsWith("cannot be used: KVM_GET_SUPPORTED_CPUID failed: invalid argument (EINVAL)", reason.Message);
    }

    [Fact]
    public void An_Api_Version_Other_Than_12_Is_Named()
    {
        _host.Query = _ => FakeHost.Answer(11, 0, FakeHost.Svm);

        Assert.Equal("KVM API version 11, HyperNest needs 12", OnlyReason(NestedReasonCode.KvmApiVersionUnsupported).Message);
    }

    [Fact]
    public void Less_Than_4_GB_Available_Is_A_Warning_Not_A_No()
    {
        NestedHostVerdict verdict = _host.MemAvailableKib(1536UL << 10).Verdict();

        Assert.True(verdict.Supported);
        NestedReason warning = Assert.Single(verdict.Reasons);
        Assert.Equal((NestedReasonCode.LowMemory, NestedReasonSeverity.Warning), (warning.Code, warning.Severity));
        Assert.StartsWith("only 1.5 GiB of memory is available", warning.Message);
        Assert.Null(verdict.FirstBlockingReason());
    }

    [Fact]
    public void Every_Reason_Is_Listed_In_The_Order_To_Fix_Them()
    {
        _host.Module("kvm_pvm").CpuInfo("AuthenticAMD", "fpu hypervisor").MemAvailableKib(1024);
        _host.Query = _ => FakeHost.Answer(12, 0, 0);

        NestedHostVerdict verdict = _host.Verdict();

        Assert.Equal(
            [NestedReasonCode.PvmFlavour, NestedReasonCode.HostIsVmWithoutNested, NestedReasonCode.SupportedCpuidLacksExtensions, NestedReasonCode.LowMemory],
            verdict.Reasons.Select(r => r.Code));
        Assert.All(verdict.Reasons, r => Assert.False(string.IsNullOrWhiteSpace(r.Fix)));
    }

    private NestedReason OnlyReason(NestedReasonCode code)
    {
        NestedHostVerdict verdict = _host.Verdict();
        Assert.False(verdict.Supported);
        NestedReason reason = Assert.Single(verdict.Reasons);
        Assert.Equal(code, reason.Code);
        Assert.Equal(NestedReasonSeverity.Blocking, reason.Severity);
        return reason;
    }
}
