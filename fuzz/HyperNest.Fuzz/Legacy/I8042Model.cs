using HyperNest.Vmm.Devices;
using HyperNest.Vmm.Devices.Legacy;

namespace HyperNest.Fuzz.Legacy;

/// <summary>
/// What a guest can observe of the PS/2 controller: command 0xFE pulses the reset line and nothing else does;
/// commands 0x20, 0xAA and 0xAB put a byte in the output buffer (the configuration byte, 0x55, 0x00) and set OBF,
/// a data read clears OBF; 0x60 then a data byte sets the configuration byte, 0xA7/0xA8/0xAD/0xAE its clock bits.
/// </summary>
internal sealed class I8042Model
{
    private readonly SwappableDevice _slot;
    private int _resets;
    private bool _resetWritten;
    private byte _configuration = 0x45, _output;
    private bool _outputFull;
    private byte _pending;

    public I8042Model() => _slot = new SwappableDevice(NewController());

    public IBusDevice Port => _slot;

    private I8042 Controller => (I8042)_slot.Device;

    public void Wrote(ulong port, ReadOnlySpan<byte> data)
    {
        for (int i = 0; i < data.Length; i++)
        {
            switch (Register(port, i))
            {
                case I8042.DataOffset:
                    if (_pending == 0x60)
                    {
                        _configuration = data[i];
                    }

                    _pending = 0;
                    break;
                case I8042.CommandOffset:
                    Command(data[i]);
                    break;
            }
        }

        InvariantViolation.Check((_resets > 0) == _resetWritten && _resets <= 1,
            $"the reset line fired {_resets} times, command 0xFE written: {_resetWritten}");
    }

    public void Read(ulong port, ReadOnlySpan<byte> data)
    {
        for (int i = 0; i < data.Length; i++)
        {
            switch (Register(port, i))
            {
                case I8042.DataOffset:
                    InvariantViolation.Check(data[i] == _output, $"data port read 0x{data[i]:x2}, the model expected 0x{_output:x2}");
                    _outputFull = false;
                    break;
                case I8042.CommandOffset:
                    InvariantViolation.Check((data[i] & 1) == (_outputFull ? 1 : 0), $"status 0x{data[i]:x2} with output-full {_outputFull}");
                    break;
                case > I8042.DataOffset and < I8042.CommandOffset:
                    InvariantViolation.Check(data[i] == 0xFF, $"byte {i} of a read at 0x{port:x} (no register) is 0x{data[i]:x2}");
                    break;
            }
        }
    }

    public void SaveAndRestore()
    {
        var state = Controller.Save();
        var restored = NewController();
        restored.Restore(state);
        InvariantViolation.Check(restored.Save() == state, "the restored PS/2 controller saves a different state");
        _slot.Device = restored;
        _resetWritten = false;
        _resets = 0;
    }

    private I8042 NewController() => new(() => _resets++);

    private void Command(byte command)
    {
        _pending = 0;
        switch (command)
        {
            case 0x20: Respond(_configuration); break;
            case 0x60 or 0xD1: _pending = command; break;
            case 0xA7: _configuration |= 0x20; break;
            case 0xA8: _configuration &= 0xDF; break;
            case 0xAA: Respond(0x55); break;
            case 0xAB: Respond(0x00); break;
            case 0xAD: _configuration |= 0x10; break;
            case 0xAE: _configuration &= 0xEF; break;
            case 0xFE: _resetWritten = true; break;
        }
    }

    private void Respond(byte value) => (_output, _outputFull) = (value, true);

    // Ports below the block wrap to a huge offset, which ByteAt places outside it.
    private static int Register(ulong port, int index) => RegisterBlock.ByteAt(port - I8042.PortBase, index, I8042.PortLength);
}
