using HyperNest.Vmm.Devices.Legacy;
using HyperNest.Vmm.Memory;

namespace HyperNest.Vmm.Boot.Acpi;

/// <summary>
/// Builds the ACPI tables a Linux guest needs to find its vCPUs and power itself off, and writes them into the BIOS
/// area 0xE0000–0xFFFFF: the RSDP first (16-byte aligned at 0xE0000, where the legacy scan looks; the zero page's
/// <c>acpi_rsdp_addr</c> should carry the returned address too), then XSDT, FADT, DSDT and MADT.
/// The FADT describes a hardware-reduced platform (ACPI 6.5 §4.1): Linux powers off through the two sleep registers
/// of <see cref="AcpiPm"/>, and in exchange ignores the 8259 and does not set up the PIT as its timer; Fadt.cs
/// gives the reasons.
/// </summary>
public static class AcpiTables
{
    /// <summary>Where the RSDP goes, and what <see cref="Write"/> returns.</summary>
    public const ulong RsdpAddress = MemoryLayout.AcpiTablesAddress;

    /// <summary>
    /// First port of <see cref="AcpiPm"/> on the port I/O bus (register it at this base for
    /// <see cref="PmPortLength"/> ports). 0x600 is free on our platform and is where ICH9 puts its PM block.
    /// </summary>
    public const ushort PmPortBase = 0x600;

    public const int PmPortLength = AcpiPm.RegisterBlockLength;

    /// <summary>The FADT's SLEEP_CONTROL_REG: one byte, SLP_TYP in bits 2–4, SLP_EN in bit 5.</summary>
    public const ushort SleepControlPort = PmPortBase + AcpiPm.SleepControlOffset;

    /// <summary>The FADT's SLEEP_STATUS_REG: one byte, WAK_STS in bit 7.</summary>
    public const ushort SleepStatusPort = PmPortBase + AcpiPm.SleepStatusOffset;

    /// <summary>The SLP_TYP the DSDT's <c>\_S5_</c> carries and <see cref="AcpiPm"/> powers off on.</summary>
    public const byte SleepTypeS5 = AcpiPm.SleepTypeS5;

    /// <summary>
    /// The SCI's IRQ, identity-mapped to this GSI as level-triggered, active high. On a hardware-reduced platform
    /// nothing raises the SCI (Linux installs no SCI handler), but the GSI is spoken for: do not wire another
    /// device to it.
    /// </summary>
    public const byte SciGsi = 9;

    /// <summary>The most vCPUs the MADT can describe with xAPIC entries (APIC IDs 0–254).</summary>
    public const int MaxVcpuCount = Madt.MaxLocalApics;

    /// <summary>Tables start on 16-byte boundaries: the RSDP must, and the rest keep it simple to read in a dump.</summary>
    private const ulong TableAlignment = 16;

    /// <summary>
    /// Writes the tables for <paramref name="vcpuCount"/> vCPUs (APIC IDs 0 to <paramref name="vcpuCount"/> − 1)
    /// and returns the RSDP's guest-physical address.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The MADT cannot describe that many vCPUs.</exception>
    /// <exception cref="ArgumentException">Guest RAM does not cover the tables' place in the BIOS area.</exception>
    /// <exception cref="InvalidOperationException">The tables would not fit in 0xE0000–0xFFFFF.</exception>
    public static ulong Write(GuestMemory memory, int vcpuCount, IReadOnlyList<AcpiDevice>? devices = null)
    {
        ArgumentNullException.ThrowIfNull(memory);
        if (vcpuCount is < 1 or > MaxVcpuCount)
        {
            throw new ArgumentOutOfRangeException(
                nameof(vcpuCount),
                vcpuCount,
                $"the ACPI MADT describes 1 to {MaxVcpuCount} vCPUs (xAPIC IDs 0-{MaxVcpuCount - 1}); {vcpuCount} were asked for");
        }

        byte[] dsdt = Dsdt.Build(SleepTypeS5, devices);
        byte[] madt = Madt.Build(vcpuCount, MemoryLayout.LapicAddress, MemoryLayout.IoapicAddress, SciGsi);

        ulong xsdtAddress = AlignUp(RsdpAddress + Rsdp.Size);
        ulong fadtAddress = AlignUp(xsdtAddress + (ulong)Xsdt.SizeFor(2));
        ulong dsdtAddress = AlignUp(fadtAddress + Fadt.Size);
        ulong madtAddress = AlignUp(dsdtAddress + (ulong)dsdt.Length);
        ulong end = madtAddress + (ulong)madt.Length;

        const ulong available = MemoryLayout.AcpiTablesEnd - MemoryLayout.AcpiTablesAddress;
        ulong needed = end - MemoryLayout.AcpiTablesAddress;
        if (end > MemoryLayout.AcpiTablesEnd)
        {
            throw new InvalidOperationException(
                $"the ACPI tables for {vcpuCount} vCPUs need 0x{needed:x} bytes, more than the 0x{available:x} of the BIOS area " +
                $"0x{MemoryLayout.AcpiTablesAddress:x}-0x{MemoryLayout.AcpiTablesEnd - 1:x}");
        }

        if (!memory.IsValid(MemoryLayout.AcpiTablesAddress, needed))
        {
            throw new ArgumentException(
                $"guest RAM of 0x{memory.Size:x} bytes does not cover the ACPI tables at 0x{MemoryLayout.AcpiTablesAddress:x}-0x{end - 1:x}",
                nameof(memory));
        }

        memory.Write(RsdpAddress, Rsdp.Build(xsdtAddress));
        memory.Write(xsdtAddress, Xsdt.Build([fadtAddress, madtAddress]));
        memory.Write(fadtAddress, Fadt.Build(dsdtAddress, SleepControlPort, SleepStatusPort, SciGsi));
        memory.Write(dsdtAddress, dsdt);
        memory.Write(madtAddress, madt);
        return RsdpAddress;
    }

    private static ulong AlignUp(ulong address) => (address + TableAlignment - 1) & ~(TableAlignment - 1);
}
