using HyperNest.Management.Nested;

namespace HyperNest.Management.Tests.Nested;

public sealed class EmulatedHostFactsTests : IDisposable
{
    private readonly FakeHost _host = new();

    public void Dispose() => _host.Dispose();

    [Fact]
    public void A_Host_With_Everything_Reports_Every_Fact()
    {
        EmulatedHostFacts facts = _host.EmulatedFacts();

        Assert.EndsWith(Path.Combine("usr", "bin", "qemu-system-x86_64"), facts.QemuPath);
        Assert.EndsWith(Path.Combine("bin", "busybox"), facts.BusyboxPath);
        Assert.Equal(ExecutableLinkage.Static, facts.Busybox);
        Assert.Equal(FakeHost.Release, facts.KernelRelease);
        Assert.True(facts.LocalKernelPresent && facts.LocalKernelReadable && facts.LocalModulesPresent && facts.LocalModulesHaveKvmAmd);
        Assert.EndsWith(Path.Combine("lib", "modules", FakeHost.Release), facts.LocalModulesPath);
        Assert.EndsWith(Path.Combine("usr", "bin", "apt-get"), facts.AptGetPath);
    }

    [Fact]
    public void An_Elf_With_A_Program_Interpreter_Is_Dynamic_And_One_Without_Is_Static()
    {
        Assert.Equal(ExecutableLinkage.Dynamic, _host.DynamicBusybox().EmulatedFacts().Busybox);
        Assert.Equal(ExecutableLinkage.Static, _host.StaticBusybox().EmulatedFacts().Busybox);
    }

    [Fact]
    public void A_Missing_Or_Truncated_File_Has_No_Static_Linkage()
    {
        Assert.Equal(ExecutableLinkage.Missing, _host.NoBusybox().EmulatedFacts().Busybox);
        Assert.Equal(ExecutableLinkage.Unrecognized, _host.Busybox(FakeHost.Elf(interpreter: false)[..40]).EmulatedFacts().Busybox);
    }

    [Fact]
    public void This_Machines_Dotnet_Host_Is_A_Dynamic_Executable()
    {
        string dotnet = Environment.ProcessPath!;

        Assert.Equal(ExecutableLinkage.Dynamic, EmulatedHostFacts.LinkageOf(dotnet));
    }
}
