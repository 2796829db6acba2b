using HyperNest.Vmm.Boot;

namespace HyperNest.Vmm.Tests.Boot;

public sealed class BuiltInGuestTests
{
    [Fact]
    public void Load_Returns_A_64_Bit_bzImage_Of_Protocol_2_06_Or_Later()
    {
        KernelImage kernel = KernelImage.Parse(BuiltInGuest.Load(), BuiltInGuest.Name);

        Assert.True(kernel.Header.ProtocolVersion >= SetupHeader.MinimumProtocol);
        Assert.NotEqual(0, kernel.Header.XLoadFlags & SetupHeader.XlfKernel64);
        Assert.True(kernel.ProtectedModeLength > 0);
    }
}
