using System.Buffers.Binary;

namespace HyperNest.Vmm.Boot.Acpi;

/// <summary>
/// The Root System Description Pointer, revision 2 (ACPI 6.5 §5.2.5.3, Table 5.3). It points only at the XSDT:
/// the 32-bit RSDT is optional since ACPI 2.0 and Linux prefers the XSDT whenever the revision is 2 or more.
/// </summary>
internal static class Rsdp
{
    public const int Size = 36;

    /// <summary>The first checksum covers the ACPI 1.0 part; the extended one covers all 36 bytes.</summary>
    private const int ChecksumLength = 20;
    private const int ChecksumOffset = 8;
    private const int OemIdOffset = 9;
    private const int RevisionOffset = 15;
    private const int LengthOffset = 20;
    private const int XsdtAddressOffset = 24;
    private const int ExtendedChecksumOffset = 32;

    public static byte[] Build(ulong xsdtAddress)
    {
        var rsdp = new byte[Size];
        "RSD PTR "u8.CopyTo(rsdp);
        AcpiTableHeader.OemId.CopyTo(rsdp.AsSpan(OemIdOffset));
        rsdp[RevisionOffset] = 2;
        BinaryPrimitives.WriteUInt32LittleEndian(rsdp.AsSpan(LengthOffset), Size);
        BinaryPrimitives.WriteUInt64LittleEndian(rsdp.AsSpan(XsdtAddressOffset), xsdtAddress);
        rsdp[ChecksumOffset] = AcpiChecksum.Compute(rsdp.AsSpan(0, ChecksumLength));
        rsdp[ExtendedChecksumOffset] = AcpiChecksum.Compute(rsdp);
        return rsdp;
    }
}
