namespace HyperNest.Vmm.Devices.Legacy;

/// <summary>
/// A 16550A UART (the PC's COM1 at 0x3F8, IRQ 4): the guest's console. Transmitted bytes go to
/// <see cref="Output"/>; bytes given to <see cref="Enqueue"/> arrive in the receive FIFO. The interrupt is
/// signalled as an edge whenever a new enabled condition becomes pending (received data, transmitter empty),
/// which is what Linux's 8250 driver needs on an edge-triggered ISA line. Loopback (MCR bit 4) is modelled
/// because drivers probe with it.
/// </summary>
public sealed class Uart8250 : IBusDevice
{
    public const ushort Com1Port = 0x3F8;
    public const uint Com1Gsi = 4;
    public const int PortCount = 8;
    public const int FifoSize = 64;

    // Register offsets (DLAB selects the divisor latch at 0 and 1).
    private const int Data = 0, InterruptEnable = 1, InterruptId = 2, LineControl = 3, ModemControl = 4;
    private const int LineStatus = 5, ModemStatus = 6, Scratch = 7;

    private const byte IerReceivedData = 0x01, IerTransmitterEmpty = 0x02;
    private const byte IirNoInterrupt = 0x01, IirTransmitterEmpty = 0x02, IirReceivedData = 0x04, IirFifoEnabled = 0xC0;
    private const byte LcrDlab = 0x80;
    private const byte LsrDataReady = 0x01, LsrTransmitterEmpty = 0x20, LsrTransmitterIdle = 0x40;
    private const byte McrLoop = 0x10;
    private const byte FcrEnable = 0x01, FcrClearReceive = 0x02;

    private readonly object _lock = new();
    private readonly Queue<byte> _receive = new();
    private readonly IInterruptLine _interrupt;
    private byte _ier, _lcr = 0x03, _mcr = 0x08, _scratch, _fcr;
    private byte _divisorLow = 0x0C, _divisorHigh;
    private bool _transmitterEmptyPending;

    public Uart8250(IInterruptLine interrupt, Stream output)
    {
        _interrupt = interrupt;
        Output = output;
    }

    public Stream Output { get; }

    /// <summary>The port's registers and unread input (<see cref="Uart8250State"/>); the port is not changed.</summary>
    public Uart8250State Save()
    {
        lock (_lock)
        {
            return new Uart8250State
            {
                InterruptEnable = _ier, LineControl = _lcr, ModemControl = _mcr, Scratch = _scratch, FifoControl = _fcr,
                DivisorLow = _divisorLow, DivisorHigh = _divisorHigh, TransmitterEmptyPending = _transmitterEmptyPending,
                Receive = [.. _receive],
            };
        }
    }

    /// <summary>
    /// Puts the port where <paramref name="state"/> says. The interrupt line is not raised: an interrupt the guest had
    /// not taken yet is in the interrupt controller's saved state, not the port's.
    /// </summary>
    /// <exception cref="InvalidDataException">No 16550A can be in that state; the port is left as it was.</exception>
    public void Restore(Uart8250State state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.Receive.Length > FifoSize)
        {
            throw new InvalidDataException($"serial port state: {state.Receive.Length} bytes received, more than the {FifoSize}-byte FIFO holds");
        }

        if ((state.InterruptEnable & ~0x0F) != 0 || (state.ModemControl & ~0x1F) != 0)
        {
            throw new InvalidDataException(
                $"serial port state: interrupt enable 0x{state.InterruptEnable:x2} or modem control 0x{state.ModemControl:x2} sets bits a 16550A does not have");
        }

        lock (_lock)
        {
            (_ier, _lcr, _mcr, _scratch, _fcr) = (state.InterruptEnable, state.LineControl, state.ModemControl, state.Scratch, state.FifoControl);
            (_divisorLow, _divisorHigh, _transmitterEmptyPending) = (state.DivisorLow, state.DivisorHigh, state.TransmitterEmptyPending);
            _receive.Clear();
            foreach (byte b in state.Receive)
            {
                _receive.Enqueue(b);
            }
        }
    }

    /// <summary>Free space in the receive FIFO, for an input pump that must not overrun it.</summary>
    public int ReceiveSpace
    {
        get
        {
            lock (_lock)
            {
                return FifoSize - _receive.Count;
            }
        }
    }

    /// <summary>
    /// Host input at the guest's pace: enqueues what the FIFO takes, waits a millisecond for the guest to drain it,
    /// and goes on until all of <paramref name="bytes"/> is in, <paramref name="deadline"/> passes or
    /// <paramref name="stop"/> says so. Returns how many bytes went in.
    /// </summary>
    public int Feed(ReadOnlySpan<byte> bytes, DateTimeOffset deadline, Func<bool>? stop = null)
    {
        int offset = 0;
        while (offset < bytes.Length && DateTimeOffset.UtcNow < deadline && stop?.Invoke() != true)
        {
            offset += Enqueue(bytes[offset..]);
            if (offset < bytes.Length)
            {
                Thread.Sleep(1);
            }
        }

        return offset;
    }

    /// <summary>Host input for the guest; bytes beyond the FIFO's space are dropped, as on real hardware.</summary>
    public int Enqueue(ReadOnlySpan<byte> bytes)
    {
        bool raise;
        int accepted = 0;
        lock (_lock)
        {
            bool wasEmpty = _receive.Count == 0;
            foreach (byte b in bytes)
            {
                if (_receive.Count >= FifoSize)
                {
                    break;
                }

                _receive.Enqueue(b);
                accepted++;
            }

            raise = wasEmpty && accepted > 0 && (_ier & IerReceivedData) != 0;
        }

        if (raise)
        {
            _interrupt.Trigger();
        }

        return accepted;
    }

    public void Read(ulong offset, Span<byte> data)
    {
        data.Fill(0);
        if (data.Length != 1 || offset >= PortCount)
        {
            data.Fill(0xFF);
            return;
        }

        lock (_lock)
        {
            data[0] = ReadRegister((int)offset);
        }
    }

    public void Write(ulong offset, ReadOnlySpan<byte> data)
    {
        if (data.Length != 1 || offset >= PortCount)
        {
            return;
        }

        bool raise;
        int transmitted = -1;
        lock (_lock)
        {
            raise = WriteRegister((int)offset, data[0], ref transmitted);
        }

        if (transmitted >= 0)
        {
            Output.WriteByte((byte)transmitted);
            Output.Flush();
        }

        if (raise)
        {
            _interrupt.Trigger();
        }
    }

    private byte ReadRegister(int register)
    {
        bool dlab = (_lcr & LcrDlab) != 0;
        switch (register)
        {
            case Data when dlab:
                return _divisorLow;
            case Data:
                return _receive.Count > 0 ? _receive.Dequeue() : (byte)0;
            case InterruptEnable when dlab:
                return _divisorHigh;
            case InterruptEnable:
                return _ier;
            case InterruptId:
                return ReadInterruptId();
            case LineControl:
                return _lcr;
            case ModemControl:
                return _mcr;
            case LineStatus:
                return (byte)(LsrTransmitterEmpty | LsrTransmitterIdle | (_receive.Count > 0 ? LsrDataReady : 0));
            case ModemStatus:
                return ModemStatusValue();
            default:
                return _scratch;
        }
    }

    private byte ReadInterruptId()
    {
        byte fifo = (_fcr & FcrEnable) != 0 ? IirFifoEnabled : (byte)0;
        if ((_ier & IerReceivedData) != 0 && _receive.Count > 0)
        {
            return (byte)(IirReceivedData | fifo);
        }

        if ((_ier & IerTransmitterEmpty) != 0 && _transmitterEmptyPending)
        {
            // Reading IIR while THRE is the reported source clears it (16550 datasheet, interrupt control).
            _transmitterEmptyPending = false;
            return (byte)(IirTransmitterEmpty | fifo);
        }

        return (byte)(IirNoInterrupt | fifo);
    }

    /// <summary>Returns whether an interrupt edge must be signalled.</summary>
    private bool WriteRegister(int register, byte value, ref int transmitted)
    {
        bool dlab = (_lcr & LcrDlab) != 0;
        switch (register)
        {
            case Data when dlab:
                _divisorLow = value;
                return false;
            case Data:
                if ((_mcr & McrLoop) != 0)
                {
                    bool wasEmpty = _receive.Count == 0;
                    if (_receive.Count < FifoSize)
                    {
                        _receive.Enqueue(value);
                    }

                    _transmitterEmptyPending = true;
                    return (wasEmpty && (_ier & IerReceivedData) != 0) || (_ier & IerTransmitterEmpty) != 0;
                }

                transmitted = value;
                _transmitterEmptyPending = true;
                return (_ier & IerTransmitterEmpty) != 0;
            case InterruptEnable when dlab:
                _divisorHigh = value;
                return false;
            case InterruptEnable:
                byte enabled = (byte)(value & 0x0F & ~_ier);
                _ier = (byte)(value & 0x0F);
                if ((enabled & IerTransmitterEmpty) != 0)
                {
                    // The holding register is always empty: enabling THRE raises it at once.
                    _transmitterEmptyPending = true;
                }

                return ((enabled & IerTransmitterEmpty) != 0) || ((enabled & IerReceivedData) != 0 && _receive.Count > 0);
            case InterruptId:
                _fcr = value;
                if ((value & FcrClearReceive) != 0)
                {
                    _receive.Clear();
                }

                return false;
            case LineControl:
                _lcr = value;
                return false;
            case ModemControl:
                _mcr = (byte)(value & 0x1F);
                return false;
            case Scratch:
                _scratch = value;
                return false;
            default:
                return false;
        }
    }

    private byte ModemStatusValue()
    {
        if ((_mcr & McrLoop) == 0)
        {
            // Carrier detect, data set ready, clear to send: a cable that is always connected.
            return 0xB0;
        }

        // Loopback: DTR→DSR, RTS→CTS, OUT1→RI, OUT2→DCD.
        return (byte)(((_mcr & 0x01) << 5) | ((_mcr & 0x02) << 3) | ((_mcr & 0x04) << 4) | ((_mcr & 0x08) << 4));
    }
}
