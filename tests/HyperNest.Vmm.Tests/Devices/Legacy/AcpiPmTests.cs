using HyperNest.Vmm.Devices;
using HyperNest.Vmm.Devices.Legacy;

namespace HyperNest.Vmm.Tests.Devices.Legacy;

public sealed class AcpiPmTests
{
    private const byte SleepEnable = 0x20;
    private const byte S5 = AcpiPm.SleepTypeS5 << 2;

    private int _powerOffs;

    private AcpiPm NewDevice() => new(() => _powerOffs++);

    [Fact]
    public void Writing_S5_With_SlpEn_To_Sleep_Control_Requests_PowerOff()
    {
        AcpiPm pm = NewDevice();

        pm.Write(AcpiPm.SleepControlOffset, [S5 | SleepEnable]);

        Assert.Equal(1, _powerOffs);
        Assert.True(pm.IsPowerOffRequested);
    }

    [Fact]
    public void Linux_Power_Off_Sequence_Through_The_Port_Bus_Requests_PowerOff()
    {
        var bus = new Bus();
        bus.Register(0x600, AcpiPm.RegisterBlockLength, NewDevice());

        // acpi_hw_extended_sleep: clear WAK_STS, then SLP_TYP | SLP_EN.
        Assert.True(bus.Write(0x600 + AcpiPm.SleepStatusOffset, [0x80]));
        Assert.Equal(0, _powerOffs);
        Assert.True(bus.Write(0x600 + AcpiPm.SleepControlOffset, [S5 | SleepEnable]));

        Assert.Equal(1, _powerOffs);
    }

    [Theory]
    [InlineData(S5)] // SLP_TYP alone: the sleep type is staged, not entered
    [InlineData(SleepEnable)] // SLP_EN with S0
    [InlineData((3 << 2) | SleepEnable)] // S3 is not offered
    [InlineData(0xFF & ~SleepEnable)]
    public void Other_Sleep_Control_Writes_Do_Not_Power_Off(byte value)
    {
        AcpiPm pm = NewDevice();

        pm.Write(AcpiPm.SleepControlOffset, [value]);

        Assert.Equal(0, _powerOffs);
        Assert.False(pm.IsPowerOffRequested);
    }

    [Fact]
    public void Writes_Elsewhere_Do_Not_Power_Off_Even_With_The_S5_Value()
    {
        AcpiPm pm = NewDevice();

        pm.Write(AcpiPm.SleepStatusOffset, [S5 | SleepEnable]);
        pm.Write(2, [S5 | SleepEnable]);
        pm.Write(ulong.MaxValue, [S5 | SleepEnable, S5 | SleepEnable]);

        Assert.Equal(0, _powerOffs);
    }

    [Fact]
    public void PowerOff_Is_Requested_Once_However_Often_The_Guest_Asks()
    {
        AcpiPm pm = NewDevice();

        for (int i = 0; i < 3; i++)
        {
            pm.Write(AcpiPm.SleepControlOffset, [S5 | SleepEnable]);
        }

        Parallel.For(0, 64, _ => pm.Write(AcpiPm.SleepControlOffset, [S5 | SleepEnable]));

        Assert.Equal(1, _powerOffs);
    }

    [Fact]
    public void Sleep_Control_Reads_Back_The_Sleep_Type_But_Not_The_Write_Only_SlpEn()
    {
        AcpiPm pm = NewDevice();
        pm.Write(AcpiPm.SleepControlOffset, [(3 << 2) | SleepEnable | 0xC3]);
        byte[] value = new byte[1];

        pm.Read(AcpiPm.SleepControlOffset, value);

        Assert.Equal(3 << 2, value[0]);
    }

    [Fact]
    public void Sleep_Status_Reads_With_Wake_Status_Clear()
    {
        byte[] value = [0xAA];

        NewDevice().Read(AcpiPm.SleepStatusOffset, value);

        Assert.Equal(0, value[0]);
    }

    [Fact]
    public void A_Word_Access_Covers_Both_Registers()
    {
        AcpiPm pm = NewDevice();
        pm.Write(AcpiPm.SleepControlOffset, [S5, 0x80]);
        byte[] both = new byte[2];

        pm.Read(AcpiPm.SleepControlOffset, both);

        Assert.Equal([S5, 0x00], both);
        Assert.Equal(0, _powerOffs);
    }

    [Theory]
    [InlineData(2UL, 1)]
    [InlineData(1UL, 4)]
    [InlineData(ulong.MaxValue, 8)]
    public void Bytes_Past_The_Registers_Read_As_All_Ones_And_Never_Throw(ulong offset, int width)
    {
        byte[] data = new byte[width];

        NewDevice().Read(offset, data);

        Assert.All(data.Skip(offset < AcpiPm.RegisterBlockLength ? AcpiPm.RegisterBlockLength - (int)offset : 0), b => Assert.Equal(0xFF, b));
    }
}
