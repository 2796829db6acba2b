namespace HyperNest.Vmm.Boot.Acpi;

/// <summary>A resource a device decodes, as its <c>_CRS</c> reports it (ACPI 6.5 §6.4).</summary>
public abstract record AcpiResource
{
    private AcpiResource()
    {
    }

    /// <summary>A range of I/O ports, 16-bit decode (§6.4.2.5).</summary>
    public sealed record IoPorts(ushort Base, byte Length) : AcpiResource;

    /// <summary>An ISA IRQ, edge-triggered active-high (IRQNoFlags, §6.4.2.1).</summary>
    public sealed record IsaIrq(byte Irq) : AcpiResource;

    /// <summary>A fixed 32-bit memory range, read-write (§6.4.3.4).</summary>
    public sealed record Memory32(uint Base, uint Length) : AcpiResource;

    /// <summary>A GSI the device raises, edge-triggered active-high (Extended Interrupt, §6.4.3.6).</summary>
    public sealed record Interrupt(uint Gsi) : AcpiResource;
}
