using HyperNest.Emulation.Image;

namespace HyperNest.Emulation.Tests.Image;

public sealed class SharedLibrariesTests
{
    [Fact]
    public void Ldd_Output_Gives_Library_And_Loader_Paths_Without_The_Vdso()
    {
        const string ldd = """
            	linux-vdso.so.1 (0x00007ffd1a5e2000)
            	libm.so.6 => /lib/x86_64-linux-gnu/libm.so.6 (0x00007f0b0d0f0000)
            	libc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f0b0cf0e000)
            	/lib64/ld-linux-x86-64.so.2 (0x00007f0b0d318000)
            """;

        Assert.Equal(
            ["/lib/x86_64-linux-gnu/libm.so.6", "/lib/x86_64-linux-gnu/libc.so.6", "/lib64/ld-linux-x86-64.so.2"],
            SharedLibraries.ParseLdd(ldd));
    }

    [Fact]
    public void A_Library_Ldd_Cannot_Find_Is_An_Error()
    {
        Assert.Throws<EmulationException>(() => SharedLibraries.ParseLdd("\tlibfoo.so.1 => not found\n"));
    }
}
