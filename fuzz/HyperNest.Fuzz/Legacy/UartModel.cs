using HyperNest.Vmm.Devices;
using HyperNest.Vmm.Devices.Legacy;

namespace HyperNest.Fuzz.Legacy;

/// <summary>
/// What a guest can observe of the 16550A (byte-wide registers only; a wider access is ignored and reads all-ones):
/// THR bytes leave in order (or loop back into the receive FIFO under MCR bit 4), RBR yields received bytes in order
/// then 0, LSR's data-ready bit says whether any wait, FCR bit 1 empties the FIFO, and the FIFO holds at most 64.
/// </summary>
internal sealed class UartModel
{
    private readonly MemoryStream _output = new();
    private readonly List<byte> _expectedOutput = [];
    private readonly Queue<byte> _receive = new();
    private readonly SwappableDevice _slot;
    private byte _lcr, _mcr;

    public UartModel() => _slot = new SwappableDevice(new Uart8250(new NoInterrupt(), _output));

    public IBusDevice Port => _slot;

    private Uart8250 Uart => (Uart8250)_slot.Device;

    private bool Dlab => (_lcr & 0x80) != 0;

    public void Wrote(ulong port, ReadOnlySpan<byte> data)
    {
        if (!Owns(port, data.Length, out int register))
        {
            return;
        }

        byte value = data[0];
        switch (register)
        {
            case 0 when !Dlab && (_mcr & 0x10) != 0:
                if (_receive.Count < Uart8250.FifoSize)
                {
                    _receive.Enqueue(value);
                }

                break;
            case 0 when !Dlab:
                _expectedOutput.Add(value);
                break;
            case 2 when (value & 0x02) != 0:
                _receive.Clear();
                break;
            case 3:
                _lcr = value;
                break;
            case 4:
                _mcr = (byte)(value & 0x1F);
                break;
        }
    }

    public void Read(ulong port, ReadOnlySpan<byte> data)
    {
        if (port < Uart8250.Com1Port || port >= Uart8250.Com1Port + Uart8250.PortCount)
        {
            return;
        }

        if (data.Length != 1)
        {
            InvariantViolation.Check(data.IndexOfAnyExcept((byte)0xFF) < 0, $"a {data.Length}-byte read of the serial port was not all-ones");
            return;
        }

        switch ((int)(port - Uart8250.Com1Port))
        {
            case 0 when !Dlab:
                byte expected = _receive.Count > 0 ? _receive.Dequeue() : (byte)0;
                InvariantViolation.Check(data[0] == expected, $"RBR read 0x{data[0]:x2}, the model expected 0x{expected:x2}");
                break;
            case 5:
                InvariantViolation.Check((data[0] & 1) == (_receive.Count > 0 ? 1 : 0),
                    $"LSR data-ready is {data[0] & 1} with {_receive.Count} bytes received");
                break;
        }
    }

    public void HostSends(ReadOnlySpan<byte> bytes)
    {
        int accepted = Uart.Enqueue(bytes);
        int room = Uart8250.FifoSize - _receive.Count;
        InvariantViolation.Check(accepted == Math.Min(room, bytes.Length), $"the FIFO took {accepted} of {bytes.Length} bytes with room for {room}");
        foreach (byte b in bytes[..accepted])
        {
            _receive.Enqueue(b);
        }
    }

    public void SaveAndRestore()
    {
        Uart8250State state = Uart.Save();
        InvariantViolation.Check(state.Receive.Length <= Uart8250.FifoSize, $"a saved FIFO of {state.Receive.Length} bytes");
        var restored = new Uart8250(new NoInterrupt(), _output);
        restored.Restore(state);
        InvariantViolation.Check(restored.Save().Equals(state), "the restored serial port saves a different state");
        _slot.Device = restored;
    }

    public void CheckOutput() =>
        InvariantViolation.Check(_output.ToArray().AsSpan().SequenceEqual(_expectedOutput.ToArray()),
            $"the serial port sent {_output.Length} bytes, the guest wrote {_expectedOutput.Count} to THR");

    private static bool Owns(ulong port, int width, out int register)
    {
        register = (int)(port - Uart8250.Com1Port);
        return width == 1 && port >= Uart8250.Com1Port && port < Uart8250.Com1Port + Uart8250.PortCount;
    }
}
