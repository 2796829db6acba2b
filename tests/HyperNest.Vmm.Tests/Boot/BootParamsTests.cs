using HyperNest.Vmm.Boot;

namespace HyperNest.Vmm.Tests.Boot;

public sealed class BootParamsTests
{
    private readonly BootParams _params = new(new BzImage().Parse());

    private ZeroPage Page => new(_params.Bytes.ToArray());

    [Fact]
    public void Zero_Page_Is_One_4KiB_Page()
    {
        Assert.Equal(4096, _params.Bytes.Length);
    }

    [Fact]
    public void Setup_Header_Is_Copied_At_0x1F1_For_The_Length_The_Kernel_Declares()
    {
        // Jump to 0x264: the header ends right after init_size, the last field a 64-bit boot reads; setup code follows.
        byte[] bytes = new BzImage { HeaderJump = 0x62 }.Build();
        bytes.AsSpan(0x264, 0x20).Fill(0xCC);

        byte[] page = new BootParams(KernelImage.Parse(bytes, "bzImage")).Bytes.ToArray();

        int[] loaderFields = [ZeroPage.TypeOfLoader, ZeroPage.LoadFlags, ZeroPage.HeapEndPtr, ZeroPage.HeapEndPtr + 1];
        for (int offset = 0x1F1; offset < 0x264; offset++)
        {
            if (!loaderFields.Contains(offset))
            {
                Assert.True(bytes[offset] == page[offset], $"zero page byte 0x{offset:x} differs from the setup header");
            }
        }

        Assert.All(page[0x264..0x284], b => Assert.Equal(0, b));
        Assert.All(page[..0x1F1], b => Assert.Equal(0, b));
    }

    [Fact]
    public void Type_Of_Loader_Is_Undefined_0xFF()
    {
        Assert.Equal(0xFF, Page.Bytes[ZeroPage.TypeOfLoader]);
    }

    [Fact]
    public void LoadFlags_Keep_The_Kernel_Flags_And_Add_Can_Use_Heap()
    {
        Assert.Equal(SetupHeader.LoadedHigh | SetupHeader.CanUseHeap, Page.Bytes[ZeroPage.LoadFlags]);
        Assert.NotEqual(0, Page.U16(ZeroPage.HeapEndPtr));
    }

    [Theory]
    [InlineData(0x20000UL, 0x20000u, 0u)]
    [InlineData(0x1_2345_6000UL, 0x2345_6000u, 1u)]
    public void Command_Line_Address_Splits_Into_Cmd_Line_Ptr_And_Ext_Cmd_Line_Ptr(ulong address, uint low, uint high)
    {
        _params.SetCommandLine(address);

        Assert.Equal(low, Page.U32(ZeroPage.CmdLinePtr));
        Assert.Equal(high, Page.U32(ZeroPage.ExtCmdLinePtr));
    }

    [Theory]
    [InlineData(0x3FF0_0000UL, 0x8_1234UL, 0x3FF0_0000u, 0u, 0x8_1234u, 0u)] // below 4 GiB: ext fields stay zero
    [InlineData(0x1_8000_0000UL, 0x2_0000_1000UL, 0x8000_0000u, 1u, 0x1000u, 2u)] // above: high halves in ext_
    public void Initrd_Address_And_Size_Split_Into_Ramdisk_Fields_And_Their_Ext_Twins(
        ulong address, ulong size, uint image, uint extImage, uint ramdiskSize, uint extSize)
    {
        _params.SetInitrd(address, size);

        Assert.Equal(image, Page.U32(ZeroPage.RamdiskImage));
        Assert.Equal(extImage, Page.U32(ZeroPage.ExtRamdiskImage));
        Assert.Equal(ramdiskSize, Page.U32(ZeroPage.RamdiskSize));
        Assert.Equal(extSize, Page.U32(ZeroPage.ExtRamdiskSize));
    }

    [Fact]
    public void Acpi_Rsdp_Address_Is_At_0x070()
    {
        _params.SetAcpiRsdp(0xE0000);

        Assert.Equal(0xE0000UL, Page.AcpiRsdp);
    }

    [Fact]
    public void E820_Count_Is_At_0x1E8_And_Entries_Of_20_Bytes_From_0x2D0()
    {
        E820Entry[] entries =
        [
            new(0, 0x9FC00, E820Type.Ram),
            new(0x9FC00, 0x400, E820Type.Reserved),
            new(0x1_0000_0000, 0x4000_0000, E820Type.Ram),
        ];

        _params.SetE820(entries);

        Assert.Equal(3, Page.Bytes[ZeroPage.E820Entries]);
        Assert.Equal(entries, Page.E820);
        Assert.Equal(0x1_0000_0000UL, BitConverter.ToUInt64(Page.Bytes, ZeroPage.E820Table + 40));
        Assert.Equal(1u, Page.U32(ZeroPage.E820Table + 56));
    }

    [Fact]
    public void E820_Table_Holds_128_Entries()
    {
        E820Entry[] entries = [.. Enumerable.Range(0, BootParams.MaxE820Entries)
            .Select(i => new E820Entry((ulong)i << 20, 0x1000, E820Type.Ram))];

        _params.SetE820(entries);

        Assert.Equal(128, Page.Bytes[ZeroPage.E820Entries]);
        Assert.Equal(entries, Page.E820);
    }

    [Fact]
    public void E820_Table_Of_More_Than_128_Entries_Is_Refused()
    {
        E820Entry[] entries = [.. Enumerable.Repeat(new E820Entry(0, 0x1000, E820Type.Ram), 129)];

        var error = Assert.Throws<BootException>(() => _params.SetE820(entries));

        Assert.Contains("129", error.Message, StringComparison.Ordinal);
        Assert.Contains("128", error.Message, StringComparison.Ordinal);
    }
}
