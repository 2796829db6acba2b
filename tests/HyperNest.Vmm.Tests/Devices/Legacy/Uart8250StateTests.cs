using HyperNest.Vmm.Devices.Legacy;

namespace HyperNest.Vmm.Tests.Devices.Legacy;

/// <summary>
/// The serial port saved and restored: every register reads back as it did (DLAB on and off), bytes the guest had
/// not read yet come out in order, and a state no 16550A can be in is refused before anything changes.
/// </summary>
public sealed class Uart8250StateTests
{
    private const int Data = 0, Ier = 1, Iir = 2, Lcr = 3, Mcr = 4, Lsr = 5, Msr = 6, Scr = 7;
    private const byte Dlab = 0x80;

    [Fact]
    public void A_Restored_Port_Reads_Every_Register_As_The_Saved_One_Did()
    {
        Uart8250 saved = NewUart();
        Write(saved, Lcr, Dlab);
        Write(saved, Data, 0x01); // divisor 115200 baud
        Write(saved, Ier, 0x00);
        Write(saved, Lcr, 0x1B); // 8 data bits, even parity, DLAB off
        Write(saved, Ier, 0x01);
        Write(saved, Mcr, 0x0B);
        Write(saved, Scr, 0x5A);
        Write(saved, Iir, 0xC1); // FCR: FIFO on
        saved.Enqueue("ok"u8);

        Uart8250 restored = NewUart();
        restored.Restore(saved.Save());

        Assert.Equal(Registers(saved), Registers(restored));
        Write(saved, Lcr, 0x1B | Dlab);
        Write(restored, Lcr, 0x1B | Dlab);
        Assert.Equal(Registers(saved), Registers(restored)); // the divisor latch too
    }

    [Fact]
    public void Bytes_The_Guest_Had_Not_Read_Come_Out_In_Order_After_The_Restore()
    {
        Uart8250 saved = NewUart();
        saved.Enqueue("abc"u8);
        Assert.Equal((byte)'a', Read(saved, Data));

        Uart8250 restored = NewUart();
        restored.Restore(saved.Save());

        Assert.Equal((byte)'b', Read(restored, Data));
        Assert.Equal((byte)'c', Read(restored, Data));
        Assert.Equal(0, Read(restored, Lsr) & 0x01); // nothing left: data ready is clear
        Assert.Equal(Uart8250.FifoSize, restored.ReceiveSpace);
    }

    [Fact]
    public void A_Receive_Fifo_Longer_Than_The_Chips_Is_Refused_And_The_Port_Is_Left_As_It_Was()
    {
        Uart8250 target = NewUart();
        target.Enqueue("x"u8);
        Uart8250State state = NewUart().Save() with { Receive = new byte[Uart8250.FifoSize + 1] };

        Assert.Contains("65 bytes", Assert.Throws<InvalidDataException>(() => target.Restore(state)).Message);
        Assert.Equal((byte)'x', Read(target, Data));
    }

    [Theory]
    [InlineData(0x10, 0x08, "interrupt enable 0x10")]
    [InlineData(0x01, 0x20, "modem control 0x20")]
    public void Register_Bits_No_16550A_Has_Are_Refused(byte ier, byte mcr, string expected)
    {
        Uart8250State state = NewUart().Save() with { InterruptEnable = ier, ModemControl = mcr };

        Assert.Contains(expected, Assert.Throws<InvalidDataException>(() => NewUart().Restore(state)).Message);
    }

    private static Uart8250 NewUart() => new(new RecordingInterruptLine(), new MemoryStream());

    private static byte[] Registers(Uart8250 uart) =>
        [Read(uart, Ier), Read(uart, Iir), Read(uart, Lcr), Read(uart, Mcr), Read(uart, Lsr), Read(uart, Msr), Read(uart, Scr), Read(uart, Data)];

    private static byte Read(Uart8250 uart, int register)
    {
        byte[] data = [0];
        uart.Read((ulong)register, data);
        return data[0];
    }

    private static void Write(Uart8250 uart, int register, byte value) => uart.Write((ulong)register, [value]);
}
