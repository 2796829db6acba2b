using HyperNest.Management.Nested;

namespace HyperNest.Management.Tests.Nested;

/// <summary>The verdict on the machine the tests run on, when it is a PVM host (skipped, with the reason, elsewhere).</summary>
public sealed class RealHostTests
{
    [SkippableFact]
    [Trait("Requires", "kvm_pvm")]
    public void A_Pvm_Host_Says_No_And_Names_Kvm_Pvm()
    {
        Skip.IfNot(HostKvm.PvmLoaded, HostKvm.WhyNotPvmLoaded);

        NestedHostVerdict verdict = NestedHostVerdict.Evaluate();

        Assert.False(verdict.Supported);
        Assert.Equal(NestedReasonCode.PvmFlavour, verdict.FirstBlockingReason()!.Code);
        Assert.Contains("kvm_pvm", verdict.FirstBlockingReason()!.Message);
        Assert.Equal(GuestKernelMode.Emulated, verdict.Facts.GuestKernelMode);
        Assert.False(verdict.Facts.SupportedCpuidOffersSvm == true || verdict.Facts.SupportedCpuidOffersVmx == true);
    }
}
