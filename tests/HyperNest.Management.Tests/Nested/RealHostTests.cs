using HyperNest.Management.Nested;

namespace HyperNest.Management.Tests.Nested;

/// <summary>The verdict on the machine the tests run on, when it is a PVM host (this project's test machines are).</summary>
public sealed class RealHostTests
{
    [Fact]
    public void A_Pvm_Host_Says_No_And_Names_Kvm_Pvm()
    {
        if (!Directory.Exists("/sys/module/kvm_pvm"))
        {
            return; // Not a PVM host: nothing to check here.
        }

        NestedHostVerdict verdict = NestedHostVerdict.Evaluate();

        Assert.False(verdict.Supported);
        Assert.Equal(NestedReasonCode.PvmFlavour, verdict.FirstBlockingReason()!.Code);
        Assert.Contains("kvm_pvm", verdict.FirstBlockingReason()!.Message);
        Assert.Equal(GuestKernelMode.Emulated, verdict.Facts.GuestKernelMode);
        Assert.False(verdict.Facts.SupportedCpuidOffersSvm == true || verdict.Facts.SupportedCpuidOffersVmx == true);
    }
}
