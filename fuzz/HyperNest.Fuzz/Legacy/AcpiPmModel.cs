using HyperNest.Vmm.Boot.Acpi;
using HyperNest.Vmm.Devices;
using HyperNest.Vmm.Devices.Legacy;

namespace HyperNest.Fuzz.Legacy;

/// <summary>
/// What a guest can observe of the ACPI PM block (ACPI 6.5 §4.8.3.2.1, PM1 control): SLP_TYPx reads back as
/// written, SLP_EN reads 0, the status byte reads 0, and the power-off request fires exactly when a write sets
/// SLP_EN with SLP_TYP = S5.
/// </summary>
internal sealed class AcpiPmModel
{
    private readonly SwappableDevice _slot;
    private int _powerOffs;
    private bool _powerOffWritten;
    private byte _sleepType;

    public AcpiPmModel() => _slot = new SwappableDevice(NewBlock());

    public IBusDevice Port => _slot;

    private AcpiPm Block => (AcpiPm)_slot.Device;

    public void Wrote(ulong port, ReadOnlySpan<byte> data)
    {
        for (int i = 0; i < data.Length; i++)
        {
            if (Register(port, i) == AcpiPm.SleepControlOffset)
            {
                _sleepType = (byte)(data[i] & 0x1C);
                _powerOffWritten |= (data[i] & 0x20) != 0 && (data[i] >> 2 & 7) == AcpiPm.SleepTypeS5;
            }
        }

        InvariantViolation.Check((_powerOffs > 0) == _powerOffWritten && _powerOffs <= 1,
            $"power-off fired {_powerOffs} times, S5 with SLP_EN written: {_powerOffWritten}");
    }

    public void Read(ulong port, ReadOnlySpan<byte> data)
    {
        for (int i = 0; i < data.Length; i++)
        {
            int register = Register(port, i);
            if (register >= 0 || (port >= AcpiTables.PmPortBase && port < AcpiTables.PmPortBase + AcpiTables.PmPortLength))
            {
                byte expected = register switch { AcpiPm.SleepControlOffset => _sleepType, AcpiPm.SleepStatusOffset => 0, _ => 0xFF };
                InvariantViolation.Check(data[i] == expected, $"byte {i} of a read at 0x{port:x} is 0x{data[i]:x2}, the model expected 0x{expected:x2}");
            }
        }
    }

    public void SaveAndRestore()
    {
        var state = Block.Save();
        var restored = NewBlock();
        restored.Restore(state);
        InvariantViolation.Check(restored.Save() == state, "the restored ACPI PM block saves a different state");
        _slot.Device = restored;
        _powerOffWritten = false;
        _powerOffs = 0;
    }

    private AcpiPm NewBlock() => new(() => _powerOffs++);

    // Ports below the block wrap to a huge offset, which ByteAt places outside it.
    private static int Register(ulong port, int index) => RegisterBlock.ByteAt(port - AcpiTables.PmPortBase, index, AcpiTables.PmPortLength);
}
