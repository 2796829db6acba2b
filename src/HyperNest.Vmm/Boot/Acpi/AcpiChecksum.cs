namespace HyperNest.Vmm.Boot.Acpi;

/// <summary>ACPI's 8-bit checksum: every byte of a structure, checksum field included, sums to zero (ACPI 6.5 §5.2.6).</summary>
internal static class AcpiChecksum
{
    /// <summary>The value for the checksum field, which must hold zero while <paramref name="data"/> is summed.</summary>
    public static byte Compute(ReadOnlySpan<byte> data)
    {
        byte sum = 0;
        foreach (byte value in data)
        {
            sum += value;
        }

        return (byte)-sum;
    }
}
