using System.Buffers.Binary;

namespace HyperNest.Vmm.Boot.Acpi;

/// <summary>Resource descriptors (ACPI 6.5 §6.4) as the bytes a <c>ResourceTemplate</c> holds.</summary>
internal static class AmlResource
{
    public static byte[] Encode(AcpiResource resource) => resource switch
    {
        // I/O port descriptor (§6.4.2.5): tag 0x47, decode16, min, max, alignment 1, length.
        AcpiResource.IoPorts io => [0x47, 0x01, .. Word(io.Base), .. Word(io.Base), 0x01, io.Length],

        // IRQ descriptor without the flags byte (§6.4.2.1): edge-triggered, active-high, a 16-bit mask.
        AcpiResource.IsaIrq irq when irq.Irq < 16 => [0x22, .. Word((ushort)(1 << irq.Irq))],

        // Fixed Memory32 (§6.4.3.4): tag 0x86, length 9, read-write, base, length.
        AcpiResource.Memory32 memory => [0x86, 0x09, 0x00, 0x01, .. DWord(memory.Base), .. DWord(memory.Length)],

        // Extended Interrupt (§6.4.3.6): tag 0x89, length 6; flags: consumer | edge-triggered (active-high,
        // exclusive); one interrupt number.
        AcpiResource.Interrupt interrupt => [0x89, 0x06, 0x00, 0x03, 0x01, .. DWord(interrupt.Gsi)],

        _ => throw new ArgumentException($"cannot encode ACPI resource {resource}", nameof(resource)),
    };

    private static byte[] Word(ushort value)
    {
        var bytes = new byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(bytes, value);
        return bytes;
    }

    private static byte[] DWord(uint value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, value);
        return bytes;
    }
}
