namespace HyperNest.Vmm.Boot.Acpi;

/// <summary>
/// A device the guest finds in the DSDT under <c>\_SB</c>. A hardware-reduced platform has no legacy PIC, so Linux
/// maps a device's interrupt only when a driver finds the device here (the legacy serial driver's fixed IRQ 4
/// would fail to register); virtio-mmio devices are found here too (<c>LNRO0005</c>), as there is no PCI.
/// </summary>
/// <param name="Name">Four-character AML name, e.g. COM1.</param>
/// <param name="HardwareId">A PNP id like PNP0501 (encoded as an EISA id) or another string id like LNRO0005.</param>
/// <param name="UniqueId">_UID: tells apart devices with one hardware id.</param>
/// <param name="Resources">_CRS: the ports, memory and interrupts the device decodes.</param>
public sealed record AcpiDevice(string Name, string HardwareId, uint UniqueId, IReadOnlyList<AcpiResource> Resources)
{
    /// <summary>More AML inside the device's scope (methods), already encoded.</summary>
    public IReadOnlyList<byte[]> Methods { get; init; } = [];

    /// <summary>The ACPI power button (PNP0C0C): a notify 0x80 on it is a press (ACPI 6.5 §4.8.2.2.1.2).</summary>
    public static AcpiDevice PowerButton(string name) => new(name, "PNP0C0C", 0, []);

    /// <summary>
    /// A Generic Event Device (ACPI0013, ACPI 6.5 §5.6.9): the hardware-reduced way to signal events. Its one
    /// interrupt runs <c>_EVT</c>, which presses <paramref name="powerButton"/> — the only event this platform has.
    /// </summary>
    public static AcpiDevice GenericEventDevice(string name, uint gsi, string powerButton) =>
        new(name, "ACPI0013", 0, [new AcpiResource.Interrupt(gsi)])
        {
            Methods = [Aml.Method("_EVT", 1, Aml.Notify(powerButton, 0x80))],
        };

    public static AcpiDevice Serial(string name, uint uid, ushort port, byte irq) =>
        new(name, "PNP0501", uid, [new AcpiResource.IoPorts(port, 8), new AcpiResource.IsaIrq(irq)]);

    /// <summary>The PS/2 controller: data port 0x60, command/status port 0x64, keyboard IRQ 1.</summary>
    public static AcpiDevice Ps2Keyboard(string name) =>
        new(name, "PNP0303", 0, [new AcpiResource.IoPorts(0x60, 1), new AcpiResource.IoPorts(0x64, 1), new AcpiResource.IsaIrq(1)]);

    /// <summary>A virtio-mmio device window (virtio 1.2 §4.2) and its interrupt; Linux's virtio_mmio matches LNRO0005.</summary>
    public static AcpiDevice VirtioMmio(uint index, ulong baseAddress, uint size, uint gsi) =>
        new($"VR{index:X2}", "LNRO0005", index, [new AcpiResource.Memory32((uint)baseAddress, size), new AcpiResource.Interrupt(gsi)]);
}
