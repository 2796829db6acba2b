using System.Buffers.Binary;

namespace HyperNest.Vmm.Boot.Acpi;

/// <summary>The Extended System Description Table: the 64-bit addresses of the other tables (ACPI 6.5 §5.2.8).</summary>
internal static class Xsdt
{
    public static int SizeFor(int entryCount) => AcpiTableHeader.Size + (entryCount * sizeof(ulong));

    public static byte[] Build(ReadOnlySpan<ulong> tableAddresses)
    {
        var xsdt = new byte[SizeFor(tableAddresses.Length)];
        for (int i = 0; i < tableAddresses.Length; i++)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(xsdt.AsSpan(AcpiTableHeader.Size + (i * sizeof(ulong))), tableAddresses[i]);
        }

        AcpiTableHeader.Seal(xsdt, "XSDT"u8, revision: 1);
        return xsdt;
    }
}
