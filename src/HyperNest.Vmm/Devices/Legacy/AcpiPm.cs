namespace HyperNest.Vmm.Devices.Legacy;

/// <summary>
/// ACPI power management for a hardware-reduced platform: the sleep control and sleep status registers (ACPI 6.5
/// §4.8.3.7) that the FADT's SLEEP_CONTROL_REG and SLEEP_STATUS_REG point at, one byte each. Linux's poweroff ends in
/// <c>acpi_hw_extended_sleep(5)</c>: it writes WAK_STS to the status register, then
/// <c>SLP_TYP &lt;&lt; 2 | SLP_EN</c> to the control register, with SLP_TYP the first value of the DSDT's
/// <c>\_S5_</c>. That write raises the power-off request; the guest then halts or spins until the VMM stops it.
/// </summary>
/// <remarks>
/// Named for its role (the ACPI PM device) rather than for the hardware-reduced register pair, so the VM builder
/// keeps one name should a classic PM1 block ever be added. A hardware-reduced platform has no PM1 event block: the
/// sleep status register takes its place and there is no enable register. Only S5 is offered to the guest; any
/// other sleep type is remembered and read back, but entering it does nothing.
/// </remarks>
public sealed class AcpiPm : IBusDevice
{
    public const int SleepControlOffset = 0;
    public const int SleepStatusOffset = 1;

    /// <summary>The ports the device occupies from its base: the control register, then the status register.</summary>
    public const int RegisterBlockLength = 2;

    /// <summary>The SLP_TYP value meaning S5 (soft off); the DSDT's <c>\_S5_</c> carries it.</summary>
    public const byte SleepTypeS5 = 5;

    // Sleep control register: bits 2–4 SLP_TYPx, bit 5 SLP_EN (write-only, reads 0), the others reserved.
    private const int SleepTypeShift = 2;
    private const byte SleepTypeMask = 0b111 << SleepTypeShift;
    private const byte SleepEnable = 1 << 5;

    private readonly OneShot _powerOff;
    private byte _sleepControl;

    /// <param name="powerOffRequested">
    /// Runs once, on the vCPU thread that wrote S5 + SLP_EN; it should hand the request to the VM's own thread and
    /// return, and must not throw.
    /// </param>
    public AcpiPm(Action powerOffRequested)
    {
        ArgumentNullException.ThrowIfNull(powerOffRequested);
        _powerOff = new OneShot(powerOffRequested);
    }

    /// <summary>Whether the guest has asked for S5.</summary>
    public bool IsPowerOffRequested => _powerOff.HasFired;

    /// <summary>The block's state (<see cref="AcpiPmState"/>); the block is not changed.</summary>
    public AcpiPmState Save() => new(Volatile.Read(ref _sleepControl));

    /// <summary>Puts the block where <paramref name="state"/> says; a restore never powers the VM off.</summary>
    /// <exception cref="InvalidDataException">Bits outside SLP_TYPx; the block is left as it was.</exception>
    public void Restore(AcpiPmState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if ((state.SleepType & ~SleepTypeMask) != 0)
        {
            throw new InvalidDataException($"ACPI PM state: sleep control 0x{state.SleepType:x2} has bits outside SLP_TYPx");
        }

        Volatile.Write(ref _sleepControl, state.SleepType);
    }

    public void Read(ulong offset, Span<byte> data)
    {
        for (int i = 0; i < data.Length; i++)
        {
            data[i] = RegisterBlock.ByteAt(offset, i, RegisterBlockLength) switch
            {
                SleepControlOffset => Volatile.Read(ref _sleepControl),

                // WAK_STS (bit 7) is set by waking from a sleep state; the guest can only enter S5, so it stays clear.
                SleepStatusOffset => 0,
                _ => 0xFF,
            };
        }
    }

    public void Write(ulong offset, ReadOnlySpan<byte> data)
    {
        for (int i = 0; i < data.Length; i++)
        {
            // The status register's only bit is write-1-to-clear and never set, so writes to it change nothing.
            if (RegisterBlock.ByteAt(offset, i, RegisterBlockLength) == SleepControlOffset)
            {
                WriteSleepControl(data[i]);
            }
        }
    }

    private void WriteSleepControl(byte value)
    {
        byte sleepType = (byte)(value & SleepTypeMask);
        Volatile.Write(ref _sleepControl, sleepType);
        if ((value & SleepEnable) != 0 && sleepType >> SleepTypeShift == SleepTypeS5)
        {
            _powerOff.Fire();
        }
    }
}
