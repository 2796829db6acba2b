using HyperNest.Vmm.Boot;
using HyperNest.Vmm.Memory;

namespace HyperNest.Vmm.Tests.Boot;

public sealed class BootFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("hnest-bootfile-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Open_Takes_The_Files_Length_And_ReadAt_Reads_From_An_Offset()
    {
        byte[] content = [.. Enumerable.Range(0, 10_000).Select(i => (byte)(i % 251))];
        using BootFile file = BootFile.Open(Write("initrd.img", content), "initrd");
        var read = new byte[3000];

        file.ReadAt(4096, read);

        Assert.Equal(10_000, file.Length);
        Assert.Equal(content[4096..7096], read);
    }

    [Fact]
    public void Open_Refuses_A_Missing_File_Naming_It()
    {
        string path = Path.Combine(_dir, "nope");

        var error = Assert.Throws<VmBuildException>(() => BootFile.Open(path, "kernel"));

        Assert.Equal($"kernel '{path}' does not exist", error.Message);
    }

    [Fact]
    public void Open_Refuses_A_Directory()
    {
        var error = Assert.Throws<VmBuildException>(() => BootFile.Open(_dir, "initrd"));

        Assert.Equal($"initrd '{_dir}' is a directory, not a file", error.Message);
    }

    [Fact]
    public void A_File_That_Shrank_After_It_Was_Opened_Is_Refused_Naming_It()
    {
        string path = Write("initrd.img", new byte[8192]);
        using BootFile file = BootFile.Open(path, "initrd");
        File.WriteAllBytes(path, new byte[100]);

        var error = Assert.Throws<VmBuildException>(() => file.ReadAt(0, new byte[8192]));

        Assert.StartsWith($"initrd '{path}' ends before byte 8192", error.Message, StringComparison.Ordinal);
        Assert.Contains("8192 bytes then", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bytes_In_Memory_Read_Like_A_File_And_Refuse_A_Range_Past_Their_End()
    {
        using BootFile bytes = BootFile.FromBytes(new byte[] { 1, 2, 3, 4 }, "built-in guest");
        var read = new byte[2];

        bytes.ReadAt(2, read);

        Assert.Equal([3, 4], read);
        Assert.Throws<VmBuildException>(() => bytes.ReadAt(3, new byte[2]));
    }

    [Fact]
    public void Kernel_And_Initrd_Files_Are_Read_Into_Guest_Memory_Byte_For_Byte()
    {
        var image = new BzImage { ProtectedModeLength = 0x6000 };
        byte[] initrdContent = [.. Enumerable.Range(0, 5000).Select(i => (byte)(255 - (i % 256)))];
        using BootFile kernelFile = BootFile.Open(Write("vmlinuz", image.Build()), "kernel");
        using BootFile initrd = BootFile.Open(Write("initrd.img", initrdContent), "initrd");
        using var memory = new GuestMemory(64 * MemoryLayout.MiB);

        LinuxBootInfo boot = LinuxLoader.Load(memory, KernelImage.Parse(kernelFile, "vmlinuz"), initrd, "console=ttyS0", 0xE0000);

        Assert.True(memory.GetSpan(MemoryLayout.KernelLoadAddress, 0x6000).SequenceEqual(image.Build().AsSpan(image.ProtectedModeOffset)));
        Assert.Equal(initrdContent, memory.GetSpan(boot.InitrdAddress, initrdContent.Length).ToArray());
    }

    [Fact]
    public void Parsing_A_Kernel_File_Reads_Its_Header_Only()
    {
        // A kernel cut short after parsing: the header was enough to parse it, the missing rest fails the load.
        var image = new BzImage { ProtectedModeLength = 0x6000 };
        string path = Write("vmlinuz", image.Build());
        using BootFile kernelFile = BootFile.Open(path, "kernel");

        KernelImage kernel = KernelImage.Parse(kernelFile, "vmlinuz");
        File.WriteAllBytes(path, image.Build()[..0x400]);

        Assert.Equal(0x6000, kernel.ProtectedModeLength);
        Assert.Throws<VmBuildException>(() => kernel.ReadProtectedModeKernel(new byte[0x6000]));
    }

    private string Write(string name, byte[] content)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, content);
        return path;
    }
}
