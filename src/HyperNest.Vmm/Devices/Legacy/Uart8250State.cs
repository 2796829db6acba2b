namespace HyperNest.Vmm.Devices.Legacy;

/// <summary>
/// The serial port's state between a save and a restore: the 16550A's registers (as the guest wrote them) and the
/// bytes received that the guest has not read yet. Plain data; the output stream and the interrupt line are wiring.
/// </summary>
public sealed record Uart8250State
{
    /// <summary>IER: the low four bits the guest enabled.</summary>
    public required byte InterruptEnable { get; init; }

    /// <summary>LCR, DLAB included.</summary>
    public required byte LineControl { get; init; }

    /// <summary>MCR: the low five bits (loopback is bit 4).</summary>
    public required byte ModemControl { get; init; }

    /// <summary>SCR.</summary>
    public required byte Scratch { get; init; }

    /// <summary>FCR as last written.</summary>
    public required byte FifoControl { get; init; }

    /// <summary>DLL and DLM: the baud-rate divisor latch.</summary>
    public required byte DivisorLow { get; init; }

    /// <inheritdoc cref="DivisorLow"/>
    public required byte DivisorHigh { get; init; }

    /// <summary>A transmitter-empty interrupt is pending (cleared when the guest reads IIR).</summary>
    public required bool TransmitterEmptyPending { get; init; }

    /// <summary>Received bytes not read yet, oldest first; at most <see cref="Uart8250.FifoSize"/>.</summary>
    public required byte[] Receive { get; init; }

    /// <summary>Records compare by value, the receive FIFO included.</summary>
    public bool Equals(Uart8250State? other) =>
        other is not null && InterruptEnable == other.InterruptEnable && LineControl == other.LineControl
        && ModemControl == other.ModemControl && Scratch == other.Scratch && FifoControl == other.FifoControl
        && DivisorLow == other.DivisorLow && DivisorHigh == other.DivisorHigh
        && TransmitterEmptyPending == other.TransmitterEmptyPending && Receive.AsSpan().SequenceEqual(other.Receive);

    public override int GetHashCode() => HashCode.Combine(InterruptEnable, LineControl, ModemControl, Receive.Length);
}
