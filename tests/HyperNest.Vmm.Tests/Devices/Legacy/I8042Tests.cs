using HyperNest.Vmm.Devices;
using HyperNest.Vmm.Devices.Legacy;

namespace HyperNest.Vmm.Tests.Devices.Legacy;

public sealed class I8042Tests
{
    private const byte OutputBufferFull = 0x01;
    private const byte InputBufferFull = 0x02;

    private int _resets;

    private I8042 NewDevice() => new(() => _resets++);

    [Fact]
    public void Status_Says_The_Input_Buffer_Is_Empty_So_The_Guest_May_Write()
    {
        Assert.Equal(0, Status(NewDevice()) & InputBufferFull);
    }

    [Fact]
    public void Command_FE_On_Port_64_Requests_A_Reset_Once()
    {
        var bus = new Bus();
        bus.Register(I8042.PortBase, I8042.PortLength, NewDevice());

        // Linux's reboot=k path writes 0xFE up to ten times, waiting for the input buffer in between.
        byte[] status = new byte[1];
        for (int i = 0; i < 10; i++)
        {
            Assert.True(bus.Read(0x64, status));
            Assert.Equal(0, status[0] & InputBufferFull);
            Assert.True(bus.Write(0x64, [I8042.ResetCommand]));
        }

        Assert.Equal(1, _resets);
    }

    [Theory]
    [InlineData(I8042.CommandOffset, 0x20)]
    [InlineData(I8042.CommandOffset, 0xAA)]
    [InlineData(I8042.CommandOffset, 0xFF)] // pulse no output line
    [InlineData(I8042.CommandOffset, 0xD1)]
    [InlineData(I8042.DataOffset, I8042.ResetCommand)] // 0xFE to the keyboard is "resend", not a reset
    [InlineData(1, I8042.ResetCommand)]
    public void Other_Writes_Do_Not_Reset(int offset, byte value)
    {
        I8042 controller = NewDevice();

        controller.Write((ulong)offset, [value]);

        Assert.Equal(0, _resets);
        Assert.False(controller.IsResetRequested);
    }

    [Fact]
    public void Self_Test_Answers_55_Through_The_Output_Buffer()
    {
        I8042 controller = NewDevice();

        controller.Write(I8042.CommandOffset, [0xAA]);

        Assert.Equal(OutputBufferFull, Status(controller) & OutputBufferFull);
        Assert.Equal(0x55, Data(controller));
        Assert.Equal(0, Status(controller) & OutputBufferFull);
    }

    [Fact]
    public void Configuration_Byte_Written_With_60_Reads_Back_With_20()
    {
        I8042 controller = NewDevice();

        controller.Write(I8042.CommandOffset, [0x60]);
        controller.Write(I8042.DataOffset, [0x47]);
        controller.Write(I8042.CommandOffset, [0x20]);

        Assert.Equal(0x47, Data(controller));
    }

    [Fact]
    public void Disabling_The_Aux_Port_Shows_In_The_Configuration_Byte()
    {
        I8042 controller = NewDevice();

        controller.Write(I8042.CommandOffset, [0xA7]);
        controller.Write(I8042.CommandOffset, [0x20]);
        byte disabled = Data(controller);
        controller.Write(I8042.CommandOffset, [0xA8]);
        controller.Write(I8042.CommandOffset, [0x20]);

        Assert.Equal(0x20, disabled & 0x20);
        Assert.Equal(0, Data(controller) & 0x20);
    }

    [Fact]
    public void Unclaimed_Ports_In_The_Range_Read_As_All_Ones()
    {
        byte[] data = new byte[3];

        NewDevice().Read(1, data);

        Assert.Equal([0xFF, 0xFF, 0xFF], data);
    }

    [Fact]
    public void Odd_Accesses_Never_Throw()
    {
        I8042 controller = NewDevice();

        controller.Read(ulong.MaxValue, new byte[8]);
        controller.Write(ulong.MaxValue, new byte[8]);
        controller.Write(I8042.DataOffset, [1, 2, 3, 4, 5, 6, 7, 8]);
        controller.Read(I8042.DataOffset, new byte[8]);

        Assert.Equal(0, _resets);
    }

    private static byte Status(I8042 controller) => ReadByte(controller, I8042.CommandOffset);

    private static byte Data(I8042 controller) => ReadByte(controller, I8042.DataOffset);

    private static byte ReadByte(I8042 controller, int offset)
    {
        byte[] value = new byte[1];
        controller.Read((ulong)offset, value);
        return value[0];
    }
}
