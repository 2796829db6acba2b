using HyperNest.Management.Model;

namespace HyperNest.Management.Tests.Model;

public sealed class VmValidationTests
{
    private const ulong MiB = VmMemorySettings.MiB;
    private static readonly VmMemorySettings Defaults = new();

    private static string Fails(MemoryChanges changes, VmMemorySettings? current = null) =>
        Assert.Throws<VmValidationException>(() => VmValidation.ApplyMemory("vm", current ?? Defaults, changes)).Message;

    [Theory]
    [InlineData(true, false, false)]
    [InlineData(false, true, false)]
    [InlineData(false, false, true)]
    public void Minimum_Maximum_Or_Buffer_Without_Dynamic_Memory_Is_Refused(bool minimum, bool maximum, bool buffer) =>
        Assert.Equal(
            "Setting maximum, minimum, and buffer settings requires Dynamic Memory to be enabled.",
            Fails(new MemoryChanges { MinimumBytes = minimum ? 256 * MiB : null, MaximumBytes = maximum ? 2048 * MiB : null, Buffer = buffer ? 30 : null }));

    [Fact]
    public void Minimum_Maximum_And_Buffer_Are_Accepted_With_Dynamic_Memory_In_The_Same_Call()
    {
        VmMemorySettings next = VmValidation.ApplyMemory("vm", Defaults, new MemoryChanges { DynamicMemoryEnabled = true, MinimumBytes = 256 * MiB, MaximumBytes = 2048 * MiB, Buffer = 30 });

        Assert.Equal(256 * MiB, next.MinimumBytes);
        Assert.Equal(30, next.Buffer);
    }

    [Fact]
    public void Startup_Must_Be_A_Multiple_Of_2_MB() =>
        Assert.EndsWith("The amount of memory must be a multiple of 2 MB.", Fails(new MemoryChanges { StartupBytes = 513 * MiB }));

    [Fact]
    public void Startup_Below_32_MB_Is_Refused() =>
        Assert.Contains("invalid startup memory amount (16 MB). It must be between 32 MB and 12 TB.", Fails(new MemoryChanges { StartupBytes = 16 * MiB }));

    [Theory]
    [InlineData(1024UL, "invalid startup memory amount (1 KB). It must be between 32 MB and 12 TB.")]
    [InlineData(1000UL, "invalid startup memory amount (1000 bytes). It must be between 32 MB and 12 TB.")]
    [InlineData(536871936UL, "invalid startup memory amount (524289 KB). The amount of memory must be a multiple of 2 MB.")]
    public void An_Amount_That_Is_Not_Whole_Megabytes_Is_Named_Exactly_Not_Rounded(ulong bytes, string expected) =>
        Assert.Contains(expected, Fails(new MemoryChanges { StartupBytes = bytes }));

    [Fact]
    public void Minimum_Above_Startup_Is_Refused() =>
        Assert.Contains("the minimum amount of memory (1024 MB) cannot be greater than the startup amount (512 MB)",
            Fails(new MemoryChanges { DynamicMemoryEnabled = true, MinimumBytes = 1024 * MiB }));

    [Fact]
    public void Maximum_Below_Startup_Is_Refused() =>
        Assert.Contains("the maximum amount of memory (256 MB) cannot be less than the startup amount (512 MB)",
            Fails(new MemoryChanges { DynamicMemoryEnabled = true, MinimumBytes = 256 * MiB, MaximumBytes = 256 * MiB }));

    [Theory]
    [InlineData(4)]
    [InlineData(2001)]
    public void Buffer_Outside_5_To_2000_Is_Refused(int buffer) =>
        Assert.Contains("the memory buffer must be between 5 and 2000 percent", Fails(new MemoryChanges { DynamicMemoryEnabled = true, Buffer = buffer }));

    [Theory]
    [InlineData(-1)]
    [InlineData(101)]
    public void Priority_Outside_0_To_100_Is_Refused(int priority) =>
        Assert.Contains("the memory priority must be between 0 and 100", Fails(new MemoryChanges { Priority = priority }));

    [Fact]
    public void Processor_Count_Above_The_Hosts_Is_Refused() =>
        Assert.Contains("cannot have more virtual processors (3) than the host has logical processors (2)",
            Assert.Throws<VmValidationException>(() => VmValidation.ValidateProcessorCount("vm", 3, 2)).Message);

    [Fact]
    public void Processor_Count_Zero_Is_Refused() =>
        Assert.Throws<VmValidationException>(() => VmValidation.ValidateProcessorCount("vm", 0, 2));

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("a\nb")]
    public void Bad_Names_Are_Refused(string name) => Assert.Throws<VmValidationException>(() => VmValidation.ValidateName(name));

    [Fact]
    public void Initrd_Without_Kernel_Is_Refused()
    {
        string initrd = Path.GetTempFileName();
        try
        {
            Assert.Equal("An initrd needs a kernel: the built-in guest takes no initrd.",
                Assert.Throws<VmValidationException>(() => VmValidation.ApplyBoot(new VmBootSource(), new BootChanges { InitrdPath = initrd })).Message);
        }
        finally
        {
            File.Delete(initrd);
        }
    }

    [Fact]
    public void Missing_Kernel_File_Is_Named() =>
        Assert.Equal("The kernel file '/nonexistent/bzImage' does not exist.",
            Assert.Throws<VmValidationException>(() => VmValidation.ApplyBoot(new VmBootSource(), new BootChanges { KernelPath = "/nonexistent/bzImage" })).Message);
}
