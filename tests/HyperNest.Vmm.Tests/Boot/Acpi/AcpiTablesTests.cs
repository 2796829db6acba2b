using System.Buffers.Binary;
using System.Text;
using HyperNest.Vmm.Boot.Acpi;
using HyperNest.Vmm.Devices.Legacy;
using HyperNest.Vmm.Memory;

namespace HyperNest.Vmm.Tests.Boot.Acpi;

public sealed class AcpiTablesTests : IDisposable
{
    private readonly GuestMemory _memory = new(16 * MemoryLayout.MiB);

    public static TheoryData<int> VcpuCounts => [1, 2, 8, 64, AcpiTables.MaxVcpuCount];

    public void Dispose() => _memory.Dispose();

    [Fact]
    public void Write_Returns_The_Rsdp_At_The_Start_Of_The_Bios_Area_Where_A_Legacy_Scan_Finds_It()
    {
        ulong rsdp = AcpiTables.Write(_memory, 1);

        Assert.Equal(0xE0000UL, rsdp);
        Assert.Equal(0UL, rsdp % 16);
        Assert.Equal("RSD PTR ", Encoding.ASCII.GetString(_memory.GetSpan(rsdp, 8)));
    }

    [Fact]
    public void Rsdp_Is_Revision_2_Of_36_Bytes_With_Both_Checksums_Summing_To_Zero()
    {
        var image = new AcpiImage(_memory, AcpiTables.Write(_memory, 2));

        Assert.Equal(2, image.Rsdp[15]);
        Assert.Equal(36u, BinaryPrimitives.ReadUInt32LittleEndian(image.Rsdp.AsSpan(20)));
        Assert.Equal(0, AcpiImage.Sum(image.Rsdp.AsSpan(0, 20)));
        Assert.Equal(0, AcpiImage.Sum(image.Rsdp));
        Assert.Equal("HNEST ", Encoding.ASCII.GetString(image.Rsdp, 9, 6));
    }

    [Theory]
    [MemberData(nameof(VcpuCounts))]
    public void Every_Table_Sums_To_Zero_Fits_The_Bios_Area_And_Carries_Our_Oem_Ids(int vcpus)
    {
        var image = new AcpiImage(_memory, AcpiTables.Write(_memory, vcpus));

        foreach ((ulong address, byte[] table) in image.AllTables)
        {
            string signature = AcpiImage.Signature(table);
            Assert.True(AcpiImage.Sum(table) == 0, $"{signature} does not sum to zero");
            Assert.InRange(address, 0xE0000UL, 0xFFFFFUL);
            Assert.InRange(address + (ulong)table.Length, 0xE0000UL, 0x100000UL);
            Assert.Equal("HNEST ", Encoding.ASCII.GetString(table, 10, 6));
            Assert.Equal("HNESTVMM", Encoding.ASCII.GetString(table, 16, 8));
        }
    }

    [Fact]
    public void Tables_Do_Not_Overlap()
    {
        var image = new AcpiImage(_memory, AcpiTables.Write(_memory, 64));
        var spans = image.AllTables.Select(t => (Start: t.Address, End: t.Address + (ulong)t.Table.Length))
            .Append((Start: image.RsdpAddress, End: image.RsdpAddress + 36))
            .OrderBy(s => s.Start)
            .ToList();

        for (int i = 1; i < spans.Count; i++)
        {
            Assert.True(spans[i - 1].End <= spans[i].Start, $"0x{spans[i - 1].Start:x} overlaps 0x{spans[i].Start:x}");
        }
    }

    [Fact]
    public void Table_Lengths_Match_What_The_Spec_Lays_Out()
    {
        var image = new AcpiImage(_memory, AcpiTables.Write(_memory, 8));

        Assert.Equal(36 + (2 * 8), image.Xsdt.Length);
        Assert.Equal(276, image.Fadt.Length);
        Assert.Equal(44 + (8 * 8) + 12 + (2 * 10), image.Madt.Length);
        Assert.Equal(image.Madt.Length, image.MadtEntries().Sum(e => e.Length) + 44);
    }

    [Fact]
    public void Xsdt_Points_To_The_Fadt_And_The_Madt()
    {
        var image = new AcpiImage(_memory, AcpiTables.Write(_memory, 1));

        Assert.Equal("XSDT", AcpiImage.Signature(image.Xsdt));
        Assert.Equal(["FACP", "APIC"], image.TableAddresses.Select(a => AcpiImage.Signature(image.Table(a))));
    }

    [Fact]
    public void Fadt_Points_To_The_Dsdt_Through_X_Dsdt_And_The_Same_32_Bit_Dsdt()
    {
        var image = new AcpiImage(_memory, AcpiTables.Write(_memory, 1));
        byte[] fadt = image.Fadt;

        Assert.Equal(6, fadt[8]);
        Assert.Equal("DSDT", AcpiImage.Signature(image.Dsdt));
        Assert.Equal(image.DsdtAddress, BinaryPrimitives.ReadUInt32LittleEndian(fadt.AsSpan(40)));
        Assert.Equal(0u, BinaryPrimitives.ReadUInt32LittleEndian(fadt.AsSpan(36))); // no FACS
    }

    [Fact]
    public void Fadt_Is_Hardware_Reduced_With_Byte_Wide_Sleep_Registers_On_The_Pm_Ports()
    {
        byte[] fadt = new AcpiImage(_memory, AcpiTables.Write(_memory, 1)).Fadt;

        Assert.True((BinaryPrimitives.ReadUInt32LittleEndian(fadt.AsSpan(112)) & (1u << 20)) != 0, "HW_REDUCED_ACPI is clear");
        AssertIoByteRegister(fadt.AsSpan(244, 12), AcpiTables.SleepControlPort);
        AssertIoByteRegister(fadt.AsSpan(256, 12), AcpiTables.SleepStatusPort);
        Assert.InRange(AcpiTables.SleepControlPort, AcpiTables.PmPortBase, AcpiTables.PmPortBase + AcpiTables.PmPortLength - 1);
        Assert.InRange(AcpiTables.SleepStatusPort, AcpiTables.PmPortBase, AcpiTables.PmPortBase + AcpiTables.PmPortLength - 1);
        Assert.Equal(AcpiTables.SciGsi, BinaryPrimitives.ReadUInt16LittleEndian(fadt.AsSpan(46)));
    }

    [Fact]
    public void Fadt_Says_An_8042_Is_Present_And_Neither_Vga_Nor_A_Cmos_Rtc_Is()
    {
        ushort bootArch = BinaryPrimitives.ReadUInt16LittleEndian(new AcpiImage(_memory, AcpiTables.Write(_memory, 1)).Fadt.AsSpan(109));

        Assert.True((bootArch & (1 << 1)) != 0, "8042 flag is clear");
        Assert.True((bootArch & (1 << 2)) != 0, "VGA Not Present is clear");
        Assert.True((bootArch & (1 << 5)) != 0, "CMOS RTC Not Present is clear");
    }

    [Theory]
    [MemberData(nameof(VcpuCounts))]
    public void Madt_Has_Exactly_One_Enabled_Local_Apic_Per_Vcpu_With_Apic_Ids_From_Zero(int vcpus)
    {
        var image = new AcpiImage(_memory, AcpiTables.Write(_memory, vcpus));
        var localApics = image.MadtEntries().Where(e => e[0] == 0).ToList();

        Assert.Equal(vcpus, localApics.Count);
        Assert.All(localApics, e => Assert.Equal(8, e.Length));
        Assert.All(localApics, e => Assert.Equal(1u, BinaryPrimitives.ReadUInt32LittleEndian(e.AsSpan(4)) & 1));
        Assert.Equal(Enumerable.Range(0, vcpus), localApics.Select(e => (int)e[3]));
        Assert.Equal(Enumerable.Range(0, vcpus), localApics.Select(e => (int)e[2]));
    }

    [Fact]
    public void Madt_Gives_The_Local_Apic_Address_And_Says_Dual_8259s_Are_Present()
    {
        byte[] madt = new AcpiImage(_memory, AcpiTables.Write(_memory, 2)).Madt;

        Assert.Equal(0xFEE00000u, BinaryPrimitives.ReadUInt32LittleEndian(madt.AsSpan(36)));
        Assert.Equal(1u, BinaryPrimitives.ReadUInt32LittleEndian(madt.AsSpan(40)) & 1); // PCAT_COMPAT
    }

    [Fact]
    public void Madt_Has_One_Ioapic_At_FEC00000_Whose_Pins_Start_At_Gsi_0()
    {
        byte[] ioapic = Assert.Single(new AcpiImage(_memory, AcpiTables.Write(_memory, 2)).MadtEntries(), e => e[0] == 1);

        Assert.Equal(12, ioapic.Length);
        Assert.Equal(0xFEC00000u, BinaryPrimitives.ReadUInt32LittleEndian(ioapic.AsSpan(4)));
        Assert.Equal(0u, BinaryPrimitives.ReadUInt32LittleEndian(ioapic.AsSpan(8)));
    }

    [Fact]
    public void Madt_Overrides_Isa_Irq0_To_Gsi2_And_Maps_The_Sci_Level_Triggered_Active_High()
    {
        var overrides = new AcpiImage(_memory, AcpiTables.Write(_memory, 2)).MadtEntries()
            .Where(e => e[0] == 2)
            .ToDictionary(e => e[3]);

        Assert.Equal(2, overrides.Count);
        Assert.All(overrides.Values, e => Assert.Equal((10, 0), (e.Length, (int)e[2]))); // ISA bus
        Assert.Equal(2u, BinaryPrimitives.ReadUInt32LittleEndian(overrides[0].AsSpan(4)));
        Assert.Equal(0, BinaryPrimitives.ReadUInt16LittleEndian(overrides[0].AsSpan(8)));
        byte[] sci = overrides[AcpiTables.SciGsi];
        Assert.Equal(AcpiTables.SciGsi, BinaryPrimitives.ReadUInt32LittleEndian(sci.AsSpan(4)));
        Assert.Equal(0b1101, BinaryPrimitives.ReadUInt16LittleEndian(sci.AsSpan(8)));
    }

    [Fact]
    public void Dsdt_S5_Package_Decodes_To_The_Sleep_Type_That_Powers_Off_The_Pm_Device()
    {
        var image = new AcpiImage(_memory, AcpiTables.Write(_memory, 1));
        IReadOnlyList<ulong> s5 = AmlReader.NamedPackage(image.Dsdt.AsSpan(36), "_S5_");
        int powerOffs = 0;
        var pm = new AcpiPm(() => powerOffs++);

        // What Linux's acpi_hw_extended_sleep does with the package's first value: SLP_TYP << 2 | SLP_EN.
        pm.Write(AcpiTables.SleepStatusPort - AcpiTables.PmPortBase, [0x80]);
        pm.Write(AcpiTables.SleepControlPort - AcpiTables.PmPortBase, [(byte)((s5[0] << 2) | 0x20)]);

        Assert.Equal(AcpiTables.SleepTypeS5, s5[0]);
        Assert.Equal(1, powerOffs);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(AcpiTables.MaxVcpuCount + 1)]
    public void Write_Refuses_A_Vcpu_Count_The_Madt_Cannot_Describe(int vcpus)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => AcpiTables.Write(_memory, vcpus));

        Assert.Contains("1 to 255 vCPUs", error.Message);
        Assert.Equal(0, _memory.Read<byte>(AcpiTables.RsdpAddress));
    }

    [Fact]
    public void Write_Refuses_Guest_Ram_That_Does_Not_Reach_The_Bios_Area()
    {
        using var small = new GuestMemory(512 * MemoryLayout.KiB);

        var error = Assert.Throws<ArgumentException>(() => AcpiTables.Write(small, 1));

        Assert.Contains("does not cover the ACPI tables", error.Message);
    }

    private static void AssertIoByteRegister(ReadOnlySpan<byte> gas, ushort port)
    {
        Assert.Equal(1, gas[0]); // System I/O space
        Assert.Equal(8, gas[1]);
        Assert.Equal(0, gas[2]);
        Assert.Equal(1, gas[3]); // byte access
        Assert.Equal(port, BinaryPrimitives.ReadUInt64LittleEndian(gas[4..]));
    }
}
