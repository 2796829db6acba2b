using System.Text;
using HyperNest.Vmm.Devices.Legacy;

namespace HyperNest.Vmm.Tests.Devices.Legacy;

public sealed class Uart8250Tests
{
    // 16550A registers (offsets from the base port) and bits.
    private const int Data = 0, Ier = 1, Iir = 2, Fcr = 2, Lcr = 3, Mcr = 4, Lsr = 5, Msr = 6, Scr = 7;
    private const byte IerRda = 0x01, IerThre = 0x02;
    private const byte IirNone = 0x01, IirThre = 0x02, IirRda = 0x04;
    private const byte LsrDr = 0x01, LsrThre = 0x20, LsrTemt = 0x40;
    private const byte Dlab = 0x80, Loop = 0x10;

    private readonly RecordingInterruptLine _irq = new();
    private readonly MemoryStream _output = new();
    private readonly Uart8250 _uart;

    public Uart8250Tests() => _uart = new Uart8250(_irq, _output);

    private string Output => Encoding.ASCII.GetString(_output.ToArray());

    [Fact]
    public void Bytes_Written_To_Thr_Go_To_The_Output_Stream()
    {
        foreach (byte b in "Linux\n"u8)
        {
            Write(Data, b);
        }

        Assert.Equal("Linux\n", Output);
    }

    [Fact]
    public void Lsr_Reports_The_Transmitter_Always_Empty_And_Data_Ready_Only_With_Received_Data()
    {
        Assert.Equal(LsrThre | LsrTemt, Read(Lsr));

        _uart.Enqueue("a"u8);
        Assert.Equal(LsrThre | LsrTemt | LsrDr, Read(Lsr));

        Assert.Equal((byte)'a', Read(Data));
        Assert.Equal(LsrThre | LsrTemt, Read(Lsr));
    }

    [Fact]
    public void Received_Bytes_Are_Read_From_Rbr_In_Order_And_An_Empty_Rbr_Reads_Zero()
    {
        _uart.Enqueue("ok"u8);

        Assert.Equal([(byte)'o', (byte)'k', 0], new[] { Read(Data), Read(Data), Read(Data) });
    }

    [Fact]
    public void No_Interrupt_Is_Signalled_While_Ier_Is_Zero()
    {
        Write(Data, (byte)'x');
        _uart.Enqueue("y"u8);

        Assert.Equal(0, _irq.Edges);
        Assert.Equal(IirNone, Read(Iir));
    }

    [Fact]
    public void Enabling_Thre_Raises_An_Edge_And_Iir_Reports_Thre_Once()
    {
        Write(Ier, IerThre);

        AssertThreSignalled(edges: 1);
    }

    [Fact]
    public void Writing_Thr_With_Thre_Enabled_Raises_Another_Edge()
    {
        Write(Ier, IerThre);
        Read(Iir);

        Write(Data, (byte)'x');

        AssertThreSignalled(edges: 2);
    }

    [Fact]
    public void Rewriting_The_Same_Ier_Does_Not_Raise_Again()
    {
        Write(Ier, IerThre);
        Write(Ier, IerThre);

        Assert.Equal(1, _irq.Edges);
    }

    [Fact]
    public void Received_Data_Raises_An_Edge_And_Iir_Reports_Rda_Until_The_Fifo_Is_Drained()
    {
        Write(Ier, IerRda);

        _uart.Enqueue("ab"u8);

        Assert.Equal(1, _irq.Edges);
        Assert.Equal(IirRda, Read(Iir));
        Assert.Equal(IirRda, Read(Iir));
        Read(Data);
        Assert.Equal(IirRda, Read(Iir));
        Read(Data);
        Assert.Equal(IirNone, Read(Iir));
    }

    [Fact]
    public void More_Data_While_Data_Is_Pending_Is_No_New_Edge()
    {
        Write(Ier, IerRda);

        _uart.Enqueue("a"u8);
        _uart.Enqueue("b"u8);

        Assert.Equal(1, _irq.Edges);
    }

    [Fact]
    public void Enabling_Rda_With_Data_Waiting_Raises_An_Edge()
    {
        _uart.Enqueue("a"u8);

        Write(Ier, IerRda);

        Assert.Equal(1, _irq.Edges);
        Assert.Equal(IirRda, Read(Iir));
    }

    [Fact]
    public void Rda_Takes_Priority_Over_Thre_In_Iir()
    {
        Write(Ier, IerRda | IerThre);
        _uart.Enqueue("a"u8);

        Assert.Equal(IirRda, Read(Iir));
        Read(Data);
        Assert.Equal(IirThre, Read(Iir));
    }

    [Fact]
    public void Enabling_The_Fifo_Shows_0xC0_In_Iir()
    {
        Write(Fcr, 0x01);

        Assert.Equal(0xC0 | IirNone, Read(Iir));
        Write(Ier, IerThre);
        Assert.Equal(0xC0 | IirThre, Read(Iir));
        Write(Fcr, 0x00);
        Assert.Equal(IirNone, Read(Iir));
    }

    [Fact]
    public void Fcr_Clear_Receive_Empties_The_Fifo()
    {
        _uart.Enqueue("abc"u8);

        Write(Fcr, 0x03);

        Assert.Equal(0, Read(Lsr) & LsrDr);
        Assert.Equal(Uart8250.FifoSize, _uart.ReceiveSpace);
    }

    [Fact]
    public void Dlab_Selects_The_Divisor_Latch_At_Offsets_0_And_1()
    {
        Write(Ier, IerRda);
        Write(Lcr, Dlab | 0x03);
        Write(Data, 0x01);
        Write(Ier, 0x00);

        Assert.Equal((0x01, 0x00), (Read(Data), Read(Ier)));
        Assert.Equal(Dlab | 0x03, Read(Lcr));
        Assert.Equal("", Output);

        Write(Lcr, 0x03);
        Assert.Equal(IerRda, Read(Ier));
    }

    [Fact]
    public void Divisor_Latch_Starts_At_9600_Baud()
    {
        Write(Lcr, Dlab);

        Assert.Equal((0x0C, 0x00), (Read(Data), Read(Ier)));
    }

    [Fact]
    public void Loopback_Echoes_Thr_Into_Rbr_Instead_Of_The_Output()
    {
        Write(Mcr, Loop);

        Write(Data, 0x55);

        Assert.Equal("", Output);
        Assert.Equal(LsrDr, Read(Lsr) & LsrDr);
        Assert.Equal(0x55, Read(Data));
    }

    [Fact]
    public void Loopback_Echo_Raises_Rda()
    {
        Write(Mcr, Loop);
        Write(Ier, IerRda);

        Write(Data, 0x55);

        Assert.Equal(1, _irq.Edges);
        Assert.Equal(IirRda, Read(Iir));
    }

    [Theory]
    [InlineData(0x01, 0x20)] // DTR -> DSR
    [InlineData(0x02, 0x10)] // RTS -> CTS
    [InlineData(0x04, 0x40)] // OUT1 -> RI
    [InlineData(0x08, 0x80)] // OUT2 -> DCD
    [InlineData(0x0F, 0xF0)]
    [InlineData(0x00, 0x00)]
    public void Loopback_Maps_Mcr_Outputs_To_Msr_Inputs(byte mcr, byte msr)
    {
        Write(Mcr, (byte)(Loop | mcr));

        Assert.Equal(msr, Read(Msr));
        Assert.Equal(Loop | mcr, Read(Mcr));
    }

    [Fact]
    public void Without_Loopback_Msr_Reports_A_Connected_Cable()
    {
        Assert.Equal(0xB0, Read(Msr));
    }

    [Fact]
    public void Scratch_Register_Keeps_What_Is_Written()
    {
        Write(Scr, 0xA7);

        Assert.Equal(0xA7, Read(Scr));
    }

    [Fact]
    public void Accesses_Wider_Than_One_Byte_Read_All_Ones_And_Write_Nothing()
    {
        byte[] wide = [0, 0];

        _uart.Read(Data, wide);
        _uart.Write(Data, "hi"u8);
        _uart.Write(Ier, [IerThre, 0]);

        Assert.Equal([0xFF, 0xFF], wide);
        Assert.Equal("", Output);
        Assert.Equal(0, _irq.Edges);
        Assert.Equal(0, Read(Ier));
    }

    [Fact]
    public void Offsets_Beyond_The_Eight_Registers_Are_Harmless()
    {
        byte[] data = [0];

        _uart.Read(8, data);
        _uart.Write(ulong.MaxValue, [0x41]);

        Assert.Equal(0xFF, data[0]);
        Assert.Equal("", Output);
    }

    [Fact]
    public void Enqueue_Accepts_Only_What_Fits_In_The_64_Byte_Fifo()
    {
        byte[] input = [.. Enumerable.Range(0, 100).Select(i => (byte)i)];

        Assert.Equal(64, _uart.Enqueue(input));
        Assert.Equal(0, _uart.ReceiveSpace);
        Assert.Equal(0, _uart.Enqueue("more"u8));

        byte[] received = [.. Enumerable.Range(0, 64).Select(_ => Read(Data))];
        Assert.Equal(input[..64], received);
        Assert.Equal(0, Read(Lsr) & LsrDr);
        Assert.Equal(Uart8250.FifoSize, _uart.ReceiveSpace);
    }

    /// <summary>THRE is the pending source, and reading IIR to learn so clears it.</summary>
    private void AssertThreSignalled(int edges)
    {
        Assert.Equal(edges, _irq.Edges);
        Assert.Equal(IirThre, Read(Iir));
        Assert.Equal(IirNone, Read(Iir));
    }

    private byte Read(int register)
    {
        byte[] data = [0];
        _uart.Read((ulong)register, data);
        return data[0];
    }

    private void Write(int register, byte value) => _uart.Write((ulong)register, [value]);
}
