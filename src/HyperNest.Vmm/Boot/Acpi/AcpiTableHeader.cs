using System.Buffers.Binary;

namespace HyperNest.Vmm.Boot.Acpi;

/// <summary>The 36-byte header every system description table starts with (ACPI 6.5 §5.2.6, Table 5.4).</summary>
internal static class AcpiTableHeader
{
    public const int Size = 36;

    private const int LengthOffset = 4;
    private const int RevisionOffset = 8;
    private const int ChecksumOffset = 9;
    private const int OemIdOffset = 10;
    private const int OemTableIdOffset = 16;
    private const int OemRevisionOffset = 24;
    private const int CreatorIdOffset = 28;
    private const int CreatorRevisionOffset = 32;

    /// <summary>Six bytes, space-padded, as the RSDP and every table carry it.</summary>
    public static ReadOnlySpan<byte> OemId => "HNEST "u8;

    public static ReadOnlySpan<byte> OemTableId => "HNESTVMM"u8;

    public static ReadOnlySpan<byte> CreatorId => "HNST"u8;

    /// <summary>
    /// Fills in the header of <paramref name="table"/>, whose body is already written, with its length taken from
    /// the span, and then the checksum over the whole table; so it is the last step of building any table.
    /// </summary>
    public static void Seal(Span<byte> table, ReadOnlySpan<byte> signature, byte revision)
    {
        signature.CopyTo(table);
        BinaryPrimitives.WriteUInt32LittleEndian(table[LengthOffset..], (uint)table.Length);
        table[RevisionOffset] = revision;
        table[ChecksumOffset] = 0;
        OemId.CopyTo(table[OemIdOffset..]);
        OemTableId.CopyTo(table[OemTableIdOffset..]);
        BinaryPrimitives.WriteUInt32LittleEndian(table[OemRevisionOffset..], 1);
        CreatorId.CopyTo(table[CreatorIdOffset..]);
        BinaryPrimitives.WriteUInt32LittleEndian(table[CreatorRevisionOffset..], 1);
        table[ChecksumOffset] = AcpiChecksum.Compute(table);
    }
}
