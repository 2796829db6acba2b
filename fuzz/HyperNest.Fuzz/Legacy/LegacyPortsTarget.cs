using HyperNest.Vmm.Boot.Acpi;
using HyperNest.Vmm.Devices;
using HyperNest.Vmm.Devices.Legacy;

namespace HyperNest.Fuzz.Legacy;

/// <summary>
/// The port handlers a guest reaches with IN/OUT: the 16550A serial port at COM1 (0x3f8), the PS/2 controller
/// (0x60–0x64) and the ACPI PM block (0x600), on a port bus as the VM wires them. The input is a sequence of
/// accesses of width 1, 2, 4 or 8 at ports in and around those ranges, host input for the serial port, and
/// save-then-restore of every device into a fresh one mid-run. Each device is checked against a small model of what
/// the guest may observe (<see cref="UartModel"/>, <see cref="I8042Model"/>, <see cref="AcpiPmModel"/>): bytes out
/// of the serial port in the order written, received bytes read back in order, never more than 64 buffered; the
/// reset line pulsed only by command 0xFE; power-off only by SLP_TYP=S5 with SLP_EN; a restore changes nothing the
/// guest can see. No access may throw, a straddling or unclaimed access reaches no device.
/// </summary>
public sealed class LegacyPortsTarget : IFuzzTarget
{
    public const int MaxOperations = 1024;

    private static readonly ushort[] Bases = [Uart8250.Com1Port, I8042.PortBase, AcpiTables.PmPortBase];

    public string Name => "legacy-ports";

    public string Description => "IN/OUT to COM1, the PS/2 controller and ACPI PM against models of each";

    public void Run(ReadOnlySpan<byte> bytes)
    {
        var input = new FuzzInput(bytes);
        var uart = new UartModel();
        var keyboard = new I8042Model();
        var pm = new AcpiPmModel();
        var bus = new Bus();
        bus.Register(Uart8250.Com1Port, Uart8250.PortCount, uart.Port);
        bus.Register(I8042.PortBase, I8042.PortLength, keyboard.Port);
        bus.Register(AcpiTables.PmPortBase, AcpiTables.PmPortLength, pm.Port);
        Span<byte> data = stackalloc byte[8];
        for (int i = 0; i < MaxOperations && !input.IsEmpty; i++)
        {
            byte op = input.Byte();
            ulong port = (ulong)Bases[op % 3] + input.Byte() % 10u - 1;
            var access = data[..(1 << (op / 3 % 4))];
            switch (op / 12 % 4)
            {
                case 0:
                case 1:
                    input.Bytes(access.Length).CopyTo(access);
                    if (bus.Write(port, access))
                    {
                        uart.Wrote(port, access);
                        keyboard.Wrote(port, access);
                        pm.Wrote(port, access);
                    }

                    break;
                case 2:
                    access.Fill(0x5A);
                    bool claimed = bus.Read(port, access);
                    InvariantViolation.Check(claimed || access.IndexOfAnyExcept((byte)0x5A) < 0, $"an unclaimed read at 0x{port:x} changed the data");
                    if (claimed)
                    {
                        uart.Read(port, access);
                        keyboard.Read(port, access);
                        pm.Read(port, access);
                    }

                    break;
                default:
                    if (op % 2 == 0)
                    {
                        uart.HostSends(input.Bytes(input.Byte() % 80));
                    }
                    else
                    {
                        uart.SaveAndRestore();
                        keyboard.SaveAndRestore();
                        pm.SaveAndRestore();
                    }

                    break;
            }
        }

        uart.CheckOutput();
    }
}
