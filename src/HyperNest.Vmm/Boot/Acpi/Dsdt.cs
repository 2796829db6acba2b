namespace HyperNest.Vmm.Boot.Acpi;

/// <summary>
/// The Differentiated System Description Table (ACPI 6.5 §5.2.11.1). It holds only <c>\_S5_</c>: Linux registers its
/// ACPI power-off handler only when <c>\_S5_</c> evaluates (drivers/acpi/sleep.c, <c>acpi_sleep_state_supported</c>),
/// and writes the package's first value as SLP_TYP. Devices stay off the namespace: the UART and i8042 sit at their
/// legacy ports and virtio-mmio devices are given on the kernel command line.
/// </summary>
internal static class Dsdt
{
    /// <summary>Revision 2 and above means 64-bit AML integers (§5.2.11.1).</summary>
    private const byte Revision = 2;

    public static byte[] Build(byte sleepTypeS5)
    {
        // Name (_S5_, Package () { SLP_TYPa, SLP_TYPb, Reserved, Reserved }) (§7.4.2). There is no PM1b block, so
        // SLP_TYPb only repeats SLP_TYPa; extended sleep uses SLP_TYPa alone.
        byte[] s5 = Aml.Name("_S5_", Aml.Package(Aml.Integer(sleepTypeS5), Aml.Integer(sleepTypeS5), Aml.Integer(0), Aml.Integer(0)));

        var dsdt = new byte[AcpiTableHeader.Size + s5.Length];
        s5.CopyTo(dsdt, AcpiTableHeader.Size);
        AcpiTableHeader.Seal(dsdt, "DSDT"u8, Revision);
        return dsdt;
    }
}
