using HyperNest.Kvm;
using HyperNest.Management.Nested;

namespace HyperNest.Management.Tests.Nested;

public sealed class HostFactsTests : IDisposable
{
    private readonly FakeHost _host = new();

    public void Dispose() => _host.Dispose();

    [Fact]
    public void A_Healthy_Amd_Host_Reports_Every_Fact()
    {
        HostFacts facts = _host.Facts();

        Assert.True(facts.KvmDevicePresent);
        Assert.True(facts.KvmDeviceAccessible);
        Assert.Null(facts.KvmDeviceError);
        Assert.Equal(12, facts.KvmApiVersion);
        Assert.Equal(KvmModuleKind.Amd, facts.VendorModule);
        Assert.Equal("kvm_amd", facts.VendorModuleName);
        Assert.Equal("AuthenticAMD", facts.CpuVendor);
        Assert.True(facts.CpuHasSvm);
        Assert.False(facts.CpuHasVmx);
        Assert.False(facts.CpuHasHypervisorFlag);
        Assert.Equal("1", facts.NestedParameter);
        Assert.True(facts.NestedEnabled);
        Assert.True(facts.SupportedCpuidOffersSvm);
        Assert.False(facts.SupportedCpuidOffersVmx);
        Assert.Equal(GuestKernelMode.Hardware, facts.GuestKernelMode);
        Assert.Equal(16UL << 30, facts.MemoryAvailableBytes);
        Assert.Equal("9.8.7", facts.HyperNestVersion);
    }

    [Fact]
    public void The_Device_Query_Is_Given_The_Device_Under_The_Root()
    {
        _host.Facts();

        Assert.EndsWith(Path.Combine("dev", "kvm"), _host.QueriedPath);
    }

    [Fact]
    public void An_Intel_Host_Reads_Vmx_And_The_Kvm_Intel_Nested_Parameter()
    {
        _host.Module("kvm_intel", nested: "Y").CpuInfo("GenuineIntel", "fpu vmx ept hypervisor");
        _host.Query = _ => FakeHost.Answer(12, leaf1Ecx: FakeHost.Vmx, ext1Ecx: 0);

        HostFacts facts = _host.Facts();

        Assert.Equal(KvmModuleKind.Intel, facts.VendorModule);
        Assert.True(facts.CpuHasVmx);
        Assert.True(facts.CpuHasHypervisorFlag);
        Assert.Equal("Y", facts.NestedParameter);
        Assert.True(facts.NestedEnabled);
        Assert.True(facts.SupportedCpuidOffersVmx);
    }

    [Theory]
    [InlineData("0", false)]
    [InlineData("N", false)]
    [InlineData("1", true)]
    [InlineData("Y", true)]
    public void The_Nested_Parameter_Is_On_For_1_Or_Y(string value, bool enabled) =>
        Assert.Equal(enabled, _host.Module("kvm_amd", nested: value).Facts().NestedEnabled);

    [Fact]
    public void Pvm_Means_Guest_Kernel_Mode_Is_Emulated_And_No_Nested_Parameter_Is_Read()
    {
        HostFacts facts = _host.Module("kvm_pvm", nested: "1").Facts();

        Assert.Equal(GuestKernelMode.Emulated, facts.GuestKernelMode);
        Assert.Null(facts.NestedParameter);
        Assert.Null(facts.NestedEnabled);
    }

    [Fact]
    public void A_Missing_Device_Is_Not_Queried()
    {
        HostFacts facts = _host.NoDevice().Facts();

        Assert.False(facts.KvmDevicePresent);
        Assert.False(facts.KvmDeviceAccessible);
        Assert.Null(_host.QueriedPath);
        Assert.Null(facts.SupportedCpuidOffersSvm);
        Assert.Null(facts.KvmApiVersion);
    }

    [Fact]
    public void Without_A_Device_Guest_Kernel_Mode_Is_Unknown_Even_With_Kvm_Pvm_Loaded()
    {
        HostFacts facts = _host.NoDevice().Module("kvm_pvm").Facts();

        Assert.Equal(KvmModuleKind.Pvm, facts.VendorModule);
        Assert.False(facts.IsPvmDevice);
        Assert.Equal(GuestKernelMode.Unknown, facts.GuestKernelMode);
    }

    [Fact]
    public void A_Pvm_Device_Is_One_That_Exists_With_Kvm_Pvm_Loaded() =>
        Assert.True(_host.Module("kvm_pvm").Facts().IsPvmDevice);

    [Fact]
    public void The_Registered_Kvm_Misc_Device_Number_Is_Read()
    {
        Assert.Null(_host.Facts().KvmMiscDeviceNumber);
        Assert.Equal("10:232", _host.MiscDevice().Facts().KvmMiscDeviceNumber);
    }

    [Fact]
    public void A_Device_That_Refuses_To_Open_Is_Present_But_Not_Accessible()
    {
        _host.Query = path => throw new KvmException($"open {path}", Errno.EACCES);

        HostFacts facts = _host.Facts();

        Assert.True(facts.KvmDevicePresent);
        Assert.False(facts.KvmDeviceAccessible);
        Assert.Equal(Errno.EACCES, facts.KvmDeviceErrno);
        Assert.Contains("EACCES", facts.KvmDeviceError);
    }

    [Fact]
    public void Missing_Proc_Files_Leave_Their_Facts_Unknown()
    {
        _host.CpuInfo("x", "").MemAvailableKib(0);
        File.WriteAllText(Path.Combine(Path.GetDirectoryName(_host.Facts().KvmDevicePath)!, "..", "proc", "meminfo"), "MemTotal: 1 kB\n");

        HostFacts facts = _host.Facts();

        Assert.Null(facts.MemoryAvailableBytes);
        Assert.False(facts.CpuHasSvm || facts.CpuHasVmx || facts.CpuHasHypervisorFlag);
    }
}
