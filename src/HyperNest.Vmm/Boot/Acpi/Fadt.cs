using System.Buffers.Binary;

namespace HyperNest.Vmm.Boot.Acpi;

/// <summary>
/// The Fixed ACPI Description Table, revision 6.5 (ACPI 6.5 §5.2.9, Table 5.9), for a hardware-reduced platform.
/// </summary>
/// <remarks>
/// Why hardware-reduced (§4.1) rather than the classic PM1a event/control blocks: Linux 6.1 powers off through
/// <c>acpi_hw_extended_sleep</c> whenever the FADT says HW_REDUCED_ACPI, and that needs nothing but the two sleep
/// registers: one byte written to SLEEP_STATUS_REG (clear WAK_STS), then SLP_TYP | SLP_EN to SLEEP_CONTROL_REG. The
/// classic path needs a working SCI, an SMI_CMD/SCI_EN handshake (or SCI_EN reading as set), a FACS and a PM timer
/// block that ACPICA reports as a firmware error when it is missing, all of which we would have to emulate and
/// keep consistent. It is also the shape Linux sees under QEMU's microvm (the lab's host machine type, booting the
/// same Debian 12 kernel) and of other lightweight VMMs. Consequence for the VMM: in this mode Linux replaces
/// the 8259 with its null PIC and skips the PIT timer setup (arch/x86/kernel/acpi/boot.c,
/// <c>acpi_reduced_hw_init</c>), so the guest ticks on the LAPIC timer and keeps time by kvmclock/TSC; ISA IRQs
/// (the UART's 4, say) still arrive through the IOAPIC as the MADT's overrides describe.
/// </remarks>
internal static class Fadt
{
    /// <summary>The ACPI 6.x FADT, up to and including the Hypervisor Vendor Identity.</summary>
    public const int Size = 276;

    private const byte Revision = 6;
    private const byte MinorRevision = 5;

    private const int DsdtOffset = 40;
    private const int SciInterruptOffset = 46;
    private const int IapcBootArchOffset = 109;
    private const int FlagsOffset = 112;
    private const int MinorRevisionOffset = 131;
    private const int XDsdtOffset = 140;
    private const int SleepControlRegisterOffset = 244;
    private const int SleepStatusRegisterOffset = 256;

    // IA-PC boot architecture flags (§5.2.9.3, Table 5.11).
    private const ushort LegacyDevices = 1 << 0;
    private const ushort Has8042 = 1 << 1;
    private const ushort VgaNotPresent = 1 << 2;
    private const ushort CmosRtcNotPresent = 1 << 5;

    // Fixed feature flags (§5.2.9, Table 5.10).
    private const uint Wbinvd = 1 << 0;
    private const uint PowerButtonIsControlMethod = 1 << 4;
    private const uint SleepButtonIsControlMethod = 1 << 5;
    private const uint HardwareReducedAcpi = 1 << 20;

    /// <summary>
    /// The UART and the i8042 are ISA-style legacy devices; the 8042 flag keeps Linux's i8042 driver and its
    /// <c>reboot=k</c> path; there is no VGA and no CMOS RTC to probe.
    /// </summary>
    internal const ushort BootArchitecture = LegacyDevices | Has8042 | VgaNotPresent | CmosRtcNotPresent;

    internal const uint Flags = Wbinvd | PowerButtonIsControlMethod | SleepButtonIsControlMethod | HardwareReducedAcpi;

    public static byte[] Build(ulong dsdtAddress, ushort sleepControlPort, ushort sleepStatusPort, ushort sciInterrupt)
    {
        var fadt = new byte[Size];
        Span<byte> table = fadt;

        // No FACS: it is optional on a hardware-reduced platform (§5.2.10), so FIRMWARE_CTRL stays zero. DSDT and
        // X_DSDT name the same table; ACPICA complains only when the two disagree.
        BinaryPrimitives.WriteUInt32LittleEndian(table[DsdtOffset..], checked((uint)dsdtAddress));
        BinaryPrimitives.WriteUInt64LittleEndian(table[XDsdtOffset..], dsdtAddress);

        // The spec has OSPM ignore SCI_INT here, but Linux still treats the MADT override whose source equals
        // SCI_INT as the SCI's; zero would capture the IRQ0 timer override, so we name IRQ 9 as a PC would.
        BinaryPrimitives.WriteUInt16LittleEndian(table[SciInterruptOffset..], sciInterrupt);
        BinaryPrimitives.WriteUInt16LittleEndian(table[IapcBootArchOffset..], BootArchitecture);
        BinaryPrimitives.WriteUInt32LittleEndian(table[FlagsOffset..], Flags);
        table[MinorRevisionOffset] = MinorRevision;
        GenericAddress.IoPortByte(sleepControlPort).WriteTo(table[SleepControlRegisterOffset..]);
        GenericAddress.IoPortByte(sleepStatusPort).WriteTo(table[SleepStatusRegisterOffset..]);

        AcpiTableHeader.Seal(table, "FACP"u8, Revision);
        return fadt;
    }
}
