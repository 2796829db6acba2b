namespace HyperNest.Vmm.Devices.Legacy;

/// <summary>
/// The PS/2 controller, reduced to what a guest uses to reset the machine and what Linux's i8042 driver asks
/// while it probes: the status register, the controller configuration byte (commands 0x20/0x60), the self tests
/// (0xAA answers 0x55, 0xAB answers 0) and port enable/disable. Command 0xFE pulses the CPU reset line
/// (Linux's <c>reboot=k</c>, also its fallback after ACPI reset) and raises the reset request. No keyboard or mouse
/// is attached and no IRQ is raised: the VMM should boot Linux with
/// <c>i8042.noaux i8042.nomux i8042.nopnp i8042.dumbkbd</c> so it does not wait on devices that never answer.
/// </summary>
/// <remarks>
/// The bus hands a device one contiguous range, so this one claims 0x60–0x64; 0x61–0x63 read
/// as all-ones and ignore writes. Port 0x61 (NMI status / PIT gate) is served in the kernel by KVM's PIT when it is
/// created with KVM_PIT_SPEAKER_DUMMY, so no exit for it reaches this device.
/// </remarks>
public sealed class I8042 : IBusDevice
{
    public const ushort PortBase = 0x60;
    public const int PortLength = 5;

    /// <summary>Offset of port 0x60: keyboard data in and out, and the argument of two-byte commands.</summary>
    public const int DataOffset = 0;

    /// <summary>Offset of port 0x64: the status register on read, a controller command on write.</summary>
    public const int CommandOffset = 4;

    /// <summary>Pulse output line 0, the CPU reset line.</summary>
    public const byte ResetCommand = 0xFE;

    // Status register bits: output buffer full, input buffer full (never: writes are consumed at once), system flag
    // (self test passed), and whether the last write went to the command port.
    private const byte OutputBufferFull = 1 << 0;
    private const byte SystemFlag = 1 << 2;
    private const byte LastWriteWasCommand = 1 << 3;

    // Controller configuration byte: keyboard interrupt, system flag, keyboard and aux clocks disabled, translation.
    private const byte KeyboardDisabled = 1 << 4;
    private const byte AuxDisabled = 1 << 5;
    private const byte InitialConfiguration = 0x01 | SystemFlag | 0x40;

    private const byte ReadConfiguration = 0x20;
    private const byte WriteConfiguration = 0x60;
    private const byte DisableAux = 0xA7;
    private const byte EnableAux = 0xA8;
    private const byte ControllerSelfTest = 0xAA;
    private const byte KeyboardInterfaceTest = 0xAB;
    private const byte DisableKeyboard = 0xAD;
    private const byte EnableKeyboard = 0xAE;
    private const byte WriteOutputPort = 0xD1;
    private const byte SelfTestPassed = 0x55;
    private const byte InterfaceTestPassed = 0x00;

    private readonly OneShot _reset;
    private readonly Lock _lock = new();
    private byte _configuration = InitialConfiguration;
    private byte _output;
    private bool _outputFull;
    private bool _lastWriteWasCommand;

    /// <summary>The controller command waiting for its argument on the data port, or 0.</summary>
    private byte _pendingCommand;

    /// <param name="resetRequested">
    /// Runs once, on the vCPU thread that wrote 0xFE; it should hand the request to the VM's own thread and return,
    /// and must not throw.
    /// </param>
    public I8042(Action resetRequested)
    {
        ArgumentNullException.ThrowIfNull(resetRequested);
        _reset = new OneShot(resetRequested);
    }

    /// <summary>Whether the guest has pulsed the reset line.</summary>
    public bool IsResetRequested => _reset.HasFired;

    /// <summary>The controller's state (<see cref="I8042State"/>); the controller is not changed.</summary>
    public I8042State Save()
    {
        lock (_lock)
        {
            return new I8042State(_configuration, _output, _outputFull, _lastWriteWasCommand, _pendingCommand);
        }
    }

    /// <summary>Puts the controller where <paramref name="state"/> says.</summary>
    /// <exception cref="InvalidDataException">A pending command that takes no argument; the controller is left as it was.</exception>
    public void Restore(I8042State state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.PendingCommand is not (0 or WriteConfiguration or WriteOutputPort))
        {
            throw new InvalidDataException($"PS/2 controller state: command 0x{state.PendingCommand:x2} takes no argument, so it cannot be pending");
        }

        lock (_lock)
        {
            (_configuration, _output, _outputFull) = (state.Configuration, state.Output, state.OutputFull);
            (_lastWriteWasCommand, _pendingCommand) = (state.LastWriteWasCommand, state.PendingCommand);
        }
    }

    public void Read(ulong offset, Span<byte> data)
    {
        lock (_lock)
        {
            for (int i = 0; i < data.Length; i++)
            {
                data[i] = RegisterBlock.ByteAt(offset, i, PortLength) switch
                {
                    DataOffset => ReadData(),
                    CommandOffset => Status(),
                    _ => 0xFF,
                };
            }
        }
    }

    public void Write(ulong offset, ReadOnlySpan<byte> data)
    {
        bool reset = false;
        lock (_lock)
        {
            for (int i = 0; i < data.Length; i++)
            {
                switch (RegisterBlock.ByteAt(offset, i, PortLength))
                {
                    case DataOffset:
                        WriteData(data[i]);
                        break;
                    case CommandOffset:
                        reset |= WriteCommand(data[i]);
                        break;
                }
            }
        }

        // Outside the lock: the callback is the VMM's code.
        if (reset)
        {
            _reset.Fire();
        }
    }

    private byte Status() =>
        (byte)((_outputFull ? OutputBufferFull : 0) | SystemFlag | (_lastWriteWasCommand ? LastWriteWasCommand : 0));

    private byte ReadData()
    {
        // An empty buffer still reads its last byte, as the real controller does; OBF tells the guest it is stale.
        _outputFull = false;
        return _output;
    }

    private void WriteData(byte value)
    {
        _lastWriteWasCommand = false;
        if (_pendingCommand == WriteConfiguration)
        {
            _configuration = value;
        }

        // The output port (0xD1) is accepted and ignored; a byte with no command pending is for the keyboard, and
        // there is none.
        _pendingCommand = 0;
    }

    /// <summary>Runs a controller command; true when it pulses the reset line.</summary>
    private bool WriteCommand(byte command)
    {
        _lastWriteWasCommand = true;
        _pendingCommand = 0;
        switch (command)
        {
            case ReadConfiguration:
                Respond(_configuration);
                break;
            case WriteConfiguration:
            case WriteOutputPort:
                _pendingCommand = command;
                break;
            case DisableAux:
                _configuration |= AuxDisabled;
                break;
            case EnableAux:
                _configuration &= unchecked((byte)~AuxDisabled);
                break;
            case ControllerSelfTest:
                Respond(SelfTestPassed);
                break;
            case KeyboardInterfaceTest:
                Respond(InterfaceTestPassed);
                break;
            case DisableKeyboard:
                _configuration |= KeyboardDisabled;
                break;
            case EnableKeyboard:
                _configuration &= unchecked((byte)~KeyboardDisabled);
                break;
            case ResetCommand:
                return true;
        }

        return false;
    }

    private void Respond(byte value)
    {
        _output = value;
        _outputFull = true;
    }
}
