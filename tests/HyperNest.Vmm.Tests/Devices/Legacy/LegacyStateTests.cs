using HyperNest.Vmm.Devices;
using HyperNest.Vmm.Devices.Legacy;

namespace HyperNest.Vmm.Tests.Devices.Legacy;

/// <summary>
/// The PS/2 controller and the ACPI power-management block saved and restored: what the guest reads afterwards is
/// what it would have read, a half-finished two-byte command completes, a restore never ends the VM, and a state the
/// device cannot be in is refused before anything changes.
/// </summary>
public sealed class LegacyStateTests
{
    private int _resets, _powerOffs;

    [Fact]
    public void A_Restored_Ps2_Controller_Answers_With_The_Saved_Configuration_And_Unread_Byte()
    {
        I8042 saved = NewI8042();
        saved.Write(I8042.CommandOffset, [0xA7]); // disable aux: configuration bit 5
        saved.Write(I8042.CommandOffset, [0xAA]); // self test: 0x55 waits in the output buffer

        I8042 restored = NewI8042();
        restored.Restore(saved.Save());

        Assert.Equal(Read(saved, I8042.CommandOffset), Read(restored, I8042.CommandOffset)); // status: output full, last write a command
        Assert.Equal(0x55, Read(restored, I8042.DataOffset));
        restored.Write(I8042.CommandOffset, [0x20]);
        Assert.Equal(0x20, Read(restored, I8042.DataOffset) & 0x20);
    }

    [Fact]
    public void A_Two_Byte_Command_Saved_Halfway_Takes_Its_Argument_After_The_Restore()
    {
        I8042 saved = NewI8042();
        saved.Write(I8042.CommandOffset, [0x60]); // write configuration: the argument comes next

        I8042 restored = NewI8042();
        restored.Restore(saved.Save());
        restored.Write(I8042.DataOffset, [0x07]);
        restored.Write(I8042.CommandOffset, [0x20]);

        Assert.Equal(0x07, Read(restored, I8042.DataOffset));
    }

    [Fact]
    public void A_Pending_Command_That_Takes_No_Argument_Is_Refused()
    {
        I8042 target = NewI8042();
        I8042State before = target.Save();

        Assert.Contains("command 0xaa takes no argument",
            Assert.Throws<InvalidDataException>(() => target.Restore(before with { PendingCommand = 0xAA })).Message);
        Assert.Equal(before, target.Save());
        Assert.Equal(0, _resets);
    }

    [Fact]
    public void A_Restored_Acpi_Pm_Block_Reads_The_Saved_Sleep_Type_And_Does_Not_Power_Off()
    {
        AcpiPm saved = NewAcpiPm();
        saved.Write(AcpiPm.SleepControlOffset, [AcpiPm.SleepTypeS5 << 2]); // S5 chosen, SLP_EN not yet set

        AcpiPm restored = NewAcpiPm();
        restored.Restore(saved.Save());

        Assert.Equal(AcpiPm.SleepTypeS5 << 2, Read(restored, AcpiPm.SleepControlOffset));
        Assert.Equal(0, _powerOffs);
        restored.Write(AcpiPm.SleepControlOffset, [(AcpiPm.SleepTypeS5 << 2) | 0x20]);
        Assert.Equal(1, _powerOffs);
    }

    [Fact]
    public void An_Acpi_Pm_State_With_Bits_Outside_The_Sleep_Type_Is_Refused() =>
        Assert.Contains("bits outside SLP_TYPx", Assert.Throws<InvalidDataException>(() => NewAcpiPm().Restore(new AcpiPmState(0x20))).Message);

    private I8042 NewI8042() => new(() => _resets++);

    private AcpiPm NewAcpiPm() => new(() => _powerOffs++);

    private static byte Read(IBusDevice device, int offset)
    {
        byte[] data = [0];
        device.Read((ulong)offset, data);
        return data[0];
    }
}
