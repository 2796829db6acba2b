using System.Text;
using HyperNest.Vmm.Boot;

namespace HyperNest.Vmm.Tests.Boot;

public sealed class KernelImageTests
{
    [Fact]
    public void Parse_Reads_The_Setup_Header_Fields()
    {
        SetupHeader header = new BzImage { SetupSectors = 27, InitrdAddressMax = 0x37FF_FFFF, CommandLineSize = 4095 }
            .Parse().Header;

        Assert.Equal(27, header.SetupSectors);
        Assert.Equal(0x020F, header.ProtocolVersion);
        Assert.Equal("2.15", header.ProtocolText);
        Assert.Equal(SetupHeader.LoadedHigh, header.LoadFlags);
        Assert.Equal(SetupHeader.XlfKernel64, header.XLoadFlags);
        Assert.Equal(0x37FF_FFFFu, header.InitrdAddressMax);
        Assert.Equal(0x20_0000u, header.KernelAlignment);
        Assert.True(header.Relocatable);
        Assert.Equal(4095u, header.CommandLineSize);
        Assert.Equal(0x100_0000UL, header.PreferredAddress);
        Assert.Equal(8u << 20, header.InitSize);
    }

    [Fact]
    public void Header_Length_Runs_From_0x1F1_To_The_Jump_Target()
    {
        SetupHeader header = new BzImage { HeaderJump = 0x6A }.Parse().Header;

        Assert.Equal(0x26C - 0x1F1, header.Length);
    }

    [Fact]
    public void Zero_Setup_Sectors_Means_Four()
    {
        var image = new BzImage { SetupSectors = 0 };

        KernelImage kernel = image.Parse();

        Assert.Equal(4, kernel.Header.SetupSectors);
        Assert.Equal(5 * 512, kernel.ProtectedModeOffset);
    }

    [Fact]
    public void Protected_Mode_Kernel_Starts_After_The_Boot_Sector_And_Setup_Sectors()
    {
        var image = new BzImage { SetupSectors = 9, ProtectedModeLength = 100 };

        KernelImage kernel = image.Parse();

        var protectedMode = new byte[kernel.ProtectedModeLength];
        kernel.ReadProtectedModeKernel(protectedMode);

        Assert.Equal(10 * 512, kernel.ProtectedModeOffset);
        Assert.Equal(100, protectedMode.Length);
        Assert.Equal(BzImage.ProtectedModeByte(0), protectedMode[0]);
        Assert.Equal(BzImage.ProtectedModeByte(99), protectedMode[99]);
    }

    [Fact]
    public void Protocol_2_06_Is_Accepted()
    {
        Assert.Equal(0x0206, new BzImage { Protocol = 0x0206 }.Parse().Header.ProtocolVersion);
    }

    [Fact]
    public void A_Text_File_Is_Refused_As_Not_A_Kernel()
    {
        byte[] text = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("console=ttyS0 root=/dev/vda\n", 100)));

        AssertRefused(text, "not a Linux kernel", name: "initrd.txt");
    }

    [Fact]
    public void A_Tiny_File_Is_Refused_As_Not_A_Kernel()
    {
        AssertRefused([0x4D, 0x5A], "not a Linux kernel");
        AssertRefused([], "not a Linux kernel");
    }

    [Fact]
    public void An_Elf_Vmlinux_Is_Refused_With_A_Hint_To_Use_The_bzImage()
    {
        var elf = new byte[0x1000];
        elf[0] = 0x7F;
        "ELF"u8.CopyTo(elf.AsSpan(1));
        elf[4] = 2; // ELFCLASS64

        string message = AssertRefused(elf, "ELF vmlinux images are not supported", name: "vmlinux");
        Assert.Contains("bzImage", message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_Boot_Sector_Without_HdrS_Is_Refused()
    {
        byte[] image = new BzImage().Build();
        image[0x202] = (byte)'X';

        AssertRefused(image, "not a Linux kernel");
    }

    [Fact]
    public void Missing_Boot_Flag_Is_Refused()
    {
        byte[] image = new BzImage().Build();
        image[0x1FE] = 0;

        AssertRefused(image, "not a Linux kernel");
    }

    [Theory]
    [InlineData(0x0205, "2.05")]
    [InlineData(0x0200, "2.00")]
    public void Protocol_Older_Than_2_06_Is_Refused_Naming_The_Version(ushort protocol, string text)
    {
        AssertRefused(new BzImage { Protocol = protocol }.Build(), $"boot protocol {text} is too old");
    }

    [Fact]
    public void Kernel_Without_Xlf_Kernel_64_Is_Refused()
    {
        AssertRefused(new BzImage { XLoadFlags = 0x0002 }.Build(), "XLF_KERNEL_64");
    }

    [Fact]
    public void zImage_Without_Loaded_High_Is_Refused()
    {
        AssertRefused(new BzImage { LoadFlags = 0 }.Build(), "zImage");
    }

    [Fact]
    public void Image_Ending_Before_The_Protected_Mode_Kernel_Is_Refused_As_Truncated()
    {
        var image = new BzImage { SetupSectors = 4 };
        byte[] truncated = image.Build()[..image.ProtectedModeOffset];

        AssertRefused(truncated, "truncated bzImage");
    }

    [Fact]
    public void Setup_Sectors_Beyond_The_End_Of_The_File_Are_Refused_As_Truncated()
    {
        byte[] image = new BzImage { SetupSectors = 4, ProtectedModeLength = 512 }.Build();
        image[0x1F1] = 200;

        AssertRefused(image, "truncated bzImage");
    }

    [Fact]
    public void Header_Without_A_Jump_Past_Its_Fields_Is_Refused_As_Truncated()
    {
        AssertRefused(new BzImage { HeaderJump = 0 }.Build(), "truncated bzImage");
    }

    [Theory]
    [InlineData(0x20)]
    [InlineData(0x61)]
    public void Header_Ending_Before_The_Fields_A_64_Bit_Boot_Reads_Is_Refused_As_Truncated(byte jump)
    {
        // init_size (0x260..0x264) is the last field read: a header the jump ends earlier would hand over setup code.
        string message = AssertRefused(new BzImage { HeaderJump = jump }.Build(), "truncated bzImage");

        Assert.Contains($"ends at 0x{0x202 + jump:x}", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Header_Ending_Right_After_Init_Size_Is_Accepted()
    {
        Assert.Equal(0x264 - 0x1F1, new BzImage { HeaderJump = 0x62 }.Parse().Header.Length);
    }

    private static string AssertRefused(byte[] image, string expected, string name = "bzImage")
    {
        var error = Assert.Throws<BootException>(() => KernelImage.Parse(image, name));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.StartsWith(name + ": ", error.Message, StringComparison.Ordinal);
        return error.Message;
    }
}
