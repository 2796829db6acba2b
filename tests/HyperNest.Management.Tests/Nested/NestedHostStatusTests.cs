using HyperNest.Kvm;
using HyperNest.Management.Nested;

namespace HyperNest.Management.Tests.Nested;

/// <summary>What <c>--accel auto</c> picks: kvm when /dev/kvm exists and opens, else emulated, else none.</summary>
public sealed class NestedHostStatusTests : IDisposable
{
    private readonly FakeHost _host = new();

    public void Dispose() => _host.Dispose();

    [Fact]
    public void Auto_Picks_Kvm_When_The_Device_Exists_And_Opens() =>
        Assert.Equal(AutoAccelerator.Kvm, _host.Status().AutoAccelerator);

    [Fact]
    public void Auto_Sends_Linux_Guests_To_The_Emulated_Host_On_A_Pvm_Device()
    {
        _host.Module("kvm_pvm");
        _host.Query = _ => FakeHost.Answer(12, 0, 0);

        NestedHostStatus status = _host.Status();

        Assert.False(status.Host.Supported);
        Assert.Equal(AutoAccelerator.Emulated, status.AutoAccelerator);
    }

    [Fact]
    public void Auto_Picks_Emulated_Without_A_Kvm_Device_When_The_Emulated_Host_Can_Start() =>
        Assert.Equal(AutoAccelerator.Emulated, _host.NoDevice().Status().AutoAccelerator);

    [Fact]
    public void Auto_Picks_Emulated_When_The_Device_Does_Not_Open()
    {
        _host.Query = path => throw new KvmException($"open {path}", Errno.EACCES);

        Assert.Equal(AutoAccelerator.Emulated, _host.Status().AutoAccelerator);
    }

    [Fact]
    public void Auto_Picks_None_Without_A_Kvm_Device_Or_A_Working_Emulated_Host() =>
        Assert.Equal(AutoAccelerator.None, _host.NoDevice().NoQemu().Status().AutoAccelerator);

    [Theory]
    [InlineData(AutoAccelerator.Kvm, "kvm")]
    [InlineData(AutoAccelerator.Emulated, "emulated")]
    [InlineData(AutoAccelerator.None, "none")]
    public void The_Choice_Is_Named_As_Accel_Takes_It(AutoAccelerator choice, string name) =>
        Assert.Equal(name, choice.OptionValue());

    [Fact]
    public void A_Vm_Host_Without_Kvm_Or_Emulator_Packages_Says_No_Twice_Without_Pvm_And_Auto_Picks_None()
    {
        _host.NoDevice().Module("kvm_pvm").CpuInfo("AuthenticAMD", "fpu lm hypervisor").NoQemu().NoBusybox().NoLocalKernel();

        NestedHostStatus status = _host.Status();

        Assert.Equal([NestedReasonCode.KvmDeviceMissing, NestedReasonCode.HostIsVmWithoutNested], status.Host.Reasons.Select(r => r.Code));
        Assert.Equal(
            [NestedReasonCode.QemuMissing, NestedReasonCode.BusyboxMissing, NestedReasonCode.GuestKernelWillBeFetched, NestedReasonCode.EmulationIsSlow],
            status.Emulated.Reasons.Select(r => r.Code));
        Assert.Equal(AutoAccelerator.None, status.AutoAccelerator);
    }
}
