namespace HyperNest.Vmm.Boot.Acpi;

/// <summary>
/// The Differentiated System Description Table (ACPI 6.5 §5.2.11.1). It holds only <c>\_S5_</c>: Linux registers its
/// ACPI power-off handler only when <c>\_S5_</c> evaluates (drivers/acpi/sleep.c, <c>acpi_sleep_state_supported</c>),
/// and writes the package's first value as SLP_TYP. The platform's devices are declared under <c>\_SB</c> (see
/// <see cref="AcpiDevice"/> for why a hardware-reduced platform needs them there).
/// </summary>
internal static class Dsdt
{
    /// <summary>Revision 2 and above means 64-bit AML integers (§5.2.11.1).</summary>
    private const byte Revision = 2;

    public static byte[] Build(byte sleepTypeS5, IReadOnlyList<AcpiDevice>? devices = null)
    {
        // Name (_S5_, Package () { SLP_TYPa, SLP_TYPb, Reserved, Reserved }) (§7.4.2). There is no PM1b block, so
        // SLP_TYPb only repeats SLP_TYPa; extended sleep uses SLP_TYPa alone.
        byte[] s5 = Aml.Name("_S5_", Aml.Package(Aml.Integer(sleepTypeS5), Aml.Integer(sleepTypeS5), Aml.Integer(0), Aml.Integer(0)));

        byte[] aml = [.. SystemBus(devices ?? []), .. s5];
        var dsdt = new byte[AcpiTableHeader.Size + aml.Length];
        aml.CopyTo(dsdt, AcpiTableHeader.Size);
        AcpiTableHeader.Seal(dsdt, "DSDT"u8, Revision);
        return dsdt;
    }

    /// <summary><c>Scope(\_SB) { Device(..) { _HID, _UID, _STA, _CRS } ... }</c>; nothing when there are no devices.</summary>
    private static byte[] SystemBus(IReadOnlyList<AcpiDevice> devices)
    {
        if (devices.Count == 0)
        {
            return [];
        }

        var declared = new byte[devices.Count][];
        for (int i = 0; i < devices.Count; i++)
        {
            AcpiDevice device = devices[i];
            byte[] hid = Aml.IsEisaId(device.HardwareId) ? Aml.EisaId(device.HardwareId) : Aml.String(device.HardwareId);
            byte[][] resources = [.. device.Resources.Select(AmlResource.Encode)];
            var terms = new List<byte[]>
            {
                Aml.Name("_HID", hid),
                Aml.Name("_UID", Aml.Integer(device.UniqueId)),
                // Present, enabled, shown in the UI, functioning (§6.3.7).
                Aml.Name("_STA", Aml.Integer(0x0F)),
            };
            if (resources.Length > 0)
            {
                terms.Add(Aml.Name("_CRS", Aml.ResourceTemplate(resources)));
            }

            terms.AddRange(device.Methods);
            declared[i] = Aml.Device(device.Name, [.. terms]);
        }

        return Aml.RootScope("_SB_", declared);
    }
}
