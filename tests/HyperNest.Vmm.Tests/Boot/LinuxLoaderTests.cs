using System.Text;
using HyperNest.Vmm.Boot;
using HyperNest.Vmm.Memory;

namespace HyperNest.Vmm.Tests.Boot;

public sealed class LinuxLoaderTests : IDisposable
{
    private const ulong MiB = MemoryLayout.MiB, GiB = MemoryLayout.GiB;
    private const ulong Rsdp = 0xE0000;

    /// <summary>A relocatable kernel decompresses at 16 MiB; the default image's init_size is 8 MiB.</summary>
    private const ulong DefaultKernelEnd = 24 * MiB;

    private readonly List<GuestMemory> _memories = [];

    public void Dispose() => _memories.ForEach(m => m.Dispose());

    [Fact]
    public void Protected_Mode_Kernel_Is_Copied_To_1MiB()
    {
        var image = new BzImage { ProtectedModeLength = 0x5000 };
        GuestMemory memory = Memory(64 * MiB);

        Load(memory, image);

        Assert.True(memory.GetSpan(0x100000, 0x5000).SequenceEqual(image.Build().AsSpan(image.ProtectedModeOffset)));
    }

    [Fact]
    public void Kernel_Is_Entered_At_0x100200_With_The_Zero_Page_At_0x7000()
    {
        LinuxBootInfo boot = Load(Memory(64 * MiB), new BzImage());

        Assert.Equal(0x100200UL, boot.EntryPoint);
        Assert.Equal(0x7000UL, boot.ZeroPage);
    }

    [Fact]
    public void Zero_Page_In_Guest_Memory_Holds_The_Loader_Fields()
    {
        GuestMemory memory = Memory(64 * MiB);

        Load(memory, new BzImage(), initrd: new byte[5000]);

        ZeroPage page = ZeroPageOf(memory);
        Assert.Equal(SetupHeader.HeaderMagic, page.U32(0x202));
        Assert.Equal(0x020F, page.U16(0x206));
        Assert.Equal(0xFF, page.Bytes[ZeroPage.TypeOfLoader]);
        Assert.Equal(SetupHeader.LoadedHigh | SetupHeader.CanUseHeap, page.Bytes[ZeroPage.LoadFlags]);
        Assert.Equal(MemoryLayout.CommandLineAddress, page.CommandLine);
        Assert.Equal(Rsdp, page.AcpiRsdp);
        Assert.Equal(E820Map.For(memory.Regions), page.E820);
        Assert.Equal(5000UL, page.RamdiskLength);
        Assert.NotEqual(0UL, page.RamdiskAddress);
    }

    [Fact]
    public void Command_Line_Is_Written_NUL_Terminated_At_0x20000()
    {
        GuestMemory memory = Memory(64 * MiB);
        memory.GetSpan(0x20000, 64).Fill(0xEE);

        Load(memory, new BzImage(), commandLine: "console=ttyS0 panic=-1");

        byte[] expected = [.. Encoding.ASCII.GetBytes("console=ttyS0 panic=-1"), 0];
        Assert.Equal(expected, memory.GetSpan(0x20000, expected.Length).ToArray());
    }

    [Fact]
    public void Command_Line_Of_Cmdline_Size_Bytes_Is_Accepted_And_One_More_Is_Refused()
    {
        var image = new BzImage { CommandLineSize = 16 };
        GuestMemory memory = Memory(64 * MiB);

        Load(memory, image, commandLine: new string('a', 16));
        var error = Assert.Throws<BootException>(() => Load(memory, image, commandLine: new string('a', 17)));

        Assert.Contains("17 bytes", error.Message, StringComparison.Ordinal);
        Assert.Contains("at most 16", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Command_Line_Is_Limited_To_Its_64KiB_Area_Whatever_The_Kernel_Accepts()
    {
        var image = new BzImage { CommandLineSize = 0x7FFF_FFFF };
        GuestMemory memory = Memory(64 * MiB);

        Load(memory, image, commandLine: new string('a', 0xFFFF));
        Assert.Throws<BootException>(() => Load(memory, image, commandLine: new string('a', 0x10000)));
    }

    [Fact]
    public void Without_An_Initrd_The_Ramdisk_Fields_Stay_Zero()
    {
        GuestMemory memory = Memory(64 * MiB);

        LinuxBootInfo boot = Load(memory, new BzImage());

        Assert.Equal(0UL, boot.InitrdAddress);
        Assert.Equal(0UL, ZeroPageOf(memory).RamdiskAddress);
        Assert.Equal(0UL, ZeroPageOf(memory).RamdiskLength);
    }

    [Fact]
    public void Initrd_Is_Placed_Page_Aligned_At_The_Top_Of_Low_Ram()
    {
        GuestMemory memory = Memory(64 * MiB);
        byte[] initrd = [.. Enumerable.Range(0, 5000).Select(i => (byte)(i % 251))];

        LinuxBootInfo boot = Load(memory, new BzImage(), initrd);

        Assert.Equal((64 * MiB) - 8192, boot.InitrdAddress);
        Assert.Equal(5000UL, boot.InitrdSize);
        Assert.Equal(initrd, memory.GetSpan(boot.InitrdAddress, initrd.Length).ToArray());
        Assert.Equal(boot.InitrdAddress, ZeroPageOf(memory).RamdiskAddress);
    }

    [Fact]
    public void Initrd_Is_Placed_Below_InitrdAddrMax()
    {
        // initrd_addr_max is the highest address the initrd may occupy: 48 MiB - 1.
        GuestMemory memory = Memory(64 * MiB);

        LinuxBootInfo boot = Load(memory, new BzImage { InitrdAddressMax = (uint)(48 * MiB) - 1 }, new byte[5000]);

        Assert.Equal((48 * MiB) - 8192, boot.InitrdAddress);
    }

    [Fact]
    public void Initrd_Stays_Below_The_End_Of_Low_Ram_In_A_Guest_Larger_Than_3GiB()
    {
        GuestMemory memory = Memory(5 * GiB);

        LinuxBootInfo boot = Load(memory, new BzImage { InitrdAddressMax = uint.MaxValue }, new byte[4096]);

        Assert.Equal((3 * GiB) - 4096, boot.InitrdAddress);
    }

    [Theory]
    [InlineData(1UL)]
    [InlineData(4096UL)]
    [InlineData(4097UL)]
    [InlineData(40 * MiB)]
    public void Initrd_Lies_Page_Aligned_Above_The_Decompression_Area_And_Below_The_Limit(ulong size)
    {
        GuestMemory memory = Memory(64 * MiB);

        ulong address = LinuxLoader.PlaceInitrd(memory.Regions, new BzImage().Parse().Header, size, DefaultKernelEnd);

        Assert.Equal(0UL, address % 4096);
        Assert.True(address >= DefaultKernelEnd, $"initrd at 0x{address:x} overlaps the kernel's decompression area");
        Assert.True(address + size <= 64 * MiB);
        Assert.True(address + size + 4096 > 64 * MiB, "the initrd is not as high as it can go");
    }

    [Fact]
    public void Initrd_One_Byte_Larger_Than_The_Room_Above_The_Kernel_Is_Refused()
    {
        GuestMemory memory = Memory(64 * MiB);
        SetupHeader header = new BzImage().Parse().Header;

        var error = Assert.Throws<BootException>(
            () => LinuxLoader.PlaceInitrd(memory.Regions, header, (40 * MiB) + 1, DefaultKernelEnd));

        Assert.Contains("initrd of 41 MiB", error.Message, StringComparison.Ordinal);
        Assert.Contains("64 MiB", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_Refuses_An_Initrd_That_Does_Not_Fit_Naming_Both_Sizes()
    {
        GuestMemory memory = Memory(32 * MiB);

        var error = Assert.Throws<BootException>(() => Load(memory, new BzImage(), new byte[9 * MiB]));

        Assert.Contains("initrd of 9 MiB", error.Message, StringComparison.Ordinal);
        Assert.Contains("guest memory of 32 MiB", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Kernel_Needing_More_Memory_Than_The_Guest_Has_Is_Refused()
    {
        GuestMemory memory = Memory(64 * MiB);

        var error = Assert.Throws<BootException>(() => Load(memory, new BzImage { InitSize = 60 << 20 }));

        Assert.Contains("kernel needs 76 MiB", error.Message, StringComparison.Ordinal);
        Assert.Contains("the VM has 64 MiB", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Kernel_That_Decompresses_Up_To_The_End_Of_Ram_Is_Accepted()
    {
        Assert.Equal(0x100200UL, Load(Memory(64 * MiB), new BzImage { InitSize = 48 << 20 }).EntryPoint);
    }

    [Fact]
    public void Command_Line_With_A_NUL_Character_Is_Refused_Not_Cut_Short()
    {
        var error = Assert.Throws<BootException>(() => Load(Memory(64 * MiB), new BzImage(), commandLine: "console=ttyS0\0init=/bin/sh"));

        Assert.Contains("NUL character at position 14", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(32UL, 0x20_0000u, 40UL)]
    [InlineData(16UL, 0x400_0000u, 72UL)]
    public void Relocatable_Kernel_Decompresses_At_Pref_Address_Aligned_To_Kernel_Alignment(ulong preferredMiB, uint alignment, ulong neededMiB)
    {
        // boot.rst, init_size: runtime start = align_up(max(load address, pref_address), kernel_alignment).
        var image = new BzImage { PreferredAddress = preferredMiB * MiB, KernelAlignment = alignment };

        var error = Assert.Throws<BootException>(() => Load(Memory((neededMiB - 1) * MiB), image));
        Assert.Contains($"kernel needs {neededMiB} MiB", error.Message, StringComparison.Ordinal);
        Assert.Equal(0x100200UL, Load(Memory(neededMiB * MiB), image).EntryPoint);
    }

    [Fact]
    public void Initrd_Stays_Clear_Of_A_Kernel_Decompressing_Above_16MiB()
    {
        GuestMemory memory = Memory(64 * MiB);
        var image = new BzImage { PreferredAddress = 48 * MiB, Relocatable = false, InitSize = 8 << 20 };

        var error = Assert.Throws<BootException>(() => Load(memory, image, initrd: new byte[9 * MiB]));

        Assert.Contains("initrd of 9 MiB", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Non_Relocatable_Kernel_Running_Below_1MiB_Is_Refused()
    {
        var error = Assert.Throws<BootException>(() => Load(Memory(64 * MiB), new BzImage { PreferredAddress = 0x8000, Relocatable = false }));

        Assert.Contains("below 1 MiB", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Kernel_Whose_Runtime_Start_Is_The_End_Of_RAM_Is_Refused_Even_With_No_Init_Size()
    {
        // init_size 0 does not move where the kernel runs: at least the byte at its runtime start must be RAM.
        var error = Assert.Throws<BootException>(() =>
            Load(Memory(64 * MiB), new BzImage { PreferredAddress = 64 * MiB, Relocatable = false, InitSize = 0 }));

        Assert.Contains("to decompress", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0u)]
    [InlineData(0x30_0000u)]
    public void Relocatable_Kernel_Whose_Alignment_Is_Not_A_Power_Of_Two_Is_Refused(uint alignment)
    {
        var error = Assert.Throws<BootException>(() => Load(Memory(64 * MiB), new BzImage { KernelAlignment = alignment }));

        Assert.Contains("kernel_alignment", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Pref_Address_Near_The_Top_Of_The_Address_Space_Is_Refused_Without_Wrapping()
    {
        var error = Assert.Throws<BootException>(() => Load(Memory(64 * MiB), new BzImage { PreferredAddress = ulong.MaxValue - 0x1000 }));

        Assert.Contains("kernel needs", error.Message, StringComparison.Ordinal);
    }

    private static LinuxBootInfo Load(GuestMemory memory, BzImage image, byte[]? initrd = null, string commandLine = "console=ttyS0") =>
        LinuxLoader.Load(memory, image.Parse(), BootFile.FromBytes(initrd ?? [], "initrd"), commandLine, Rsdp);

    private static ZeroPage ZeroPageOf(GuestMemory memory) => new(memory.GetSpan(MemoryLayout.ZeroPageAddress, 4096).ToArray());

    private GuestMemory Memory(ulong size)
    {
        var memory = new GuestMemory(size);
        _memories.Add(memory);
        return memory;
    }
}
