using HyperNest.Kvm;
using HyperNest.Management.Nested;

namespace HyperNest.Management.Tests.Nested;

/// <summary>
/// The verdicts on the machine the tests run on: a PVM host (a kvm_pvm /dev/kvm) or a host without a KVM device,
/// as this project's test machines are; each check is skipped, with the reason, on other hosts.
/// </summary>
public sealed class RealHostTests
{
    private static bool KvmDeviceExists => File.Exists(KvmSystem.DevicePath);

    [SkippableFact]
    public void A_Pvm_Host_Says_No_And_Names_Kvm_Pvm()
    {
        Skip.IfNot(HostKvm.PvmUsable, HostKvm.WhyNotPvm);

        NestedHostVerdict verdict = NestedHostVerdict.Evaluate();

        Assert.False(verdict.Supported);
        Assert.Equal(NestedReasonCode.PvmFlavour, verdict.FirstBlockingReason()!.Code);
        Assert.Contains("kvm_pvm", verdict.FirstBlockingReason()!.Message);
        Assert.Equal(GuestKernelMode.Emulated, verdict.Facts.GuestKernelMode);
        Assert.False(verdict.Facts.SupportedCpuidOffersSvm == true || verdict.Facts.SupportedCpuidOffersVmx == true);
    }

    [SkippableFact]
    public void A_Host_Without_A_Kvm_Device_Says_No_With_The_Missing_Device_First_And_No_Pvm_Reason()
    {
        Skip.If(KvmDeviceExists, "this host has a /dev/kvm: the missing-device verdict is checked on hosts without one");

        NestedHostVerdict verdict = NestedHostVerdict.Evaluate();

        Assert.False(verdict.Supported);
        Assert.Equal(NestedReasonCode.KvmDeviceMissing, verdict.FirstBlockingReason()!.Code);
        Assert.DoesNotContain(verdict.Reasons, r => r.Code == NestedReasonCode.PvmFlavour);
        Assert.Equal(GuestKernelMode.Unknown, verdict.Facts.GuestKernelMode);
    }

    [Fact]
    public void The_Emulated_Verdict_Here_Names_Qemu_Exactly_When_It_Is_Not_On_Path()
    {
        NestedHostStatus status = NestedHostStatus.Evaluate();

        bool qemuOnPath = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Any(directory => File.Exists(Path.Combine(directory, EmulatedHostFacts.QemuExecutable)));
        Assert.Equal(!qemuOnPath, status.Emulated.Reasons.Any(r => r.Code == NestedReasonCode.QemuMissing));
        Assert.Contains(status.Emulated.Reasons, r => r.Code == NestedReasonCode.EmulationIsSlow);
    }
}
