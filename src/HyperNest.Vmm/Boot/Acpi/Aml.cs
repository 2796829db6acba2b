namespace HyperNest.Vmm.Boot.Acpi;

/// <summary>
/// The little of ACPI Machine Language (ACPI 6.5 §20) the DSDT needs, encoded as bytes: names, packages and integers.
/// </summary>
internal static class Aml
{
    private const byte ZeroOp = 0x00;
    private const byte OneOp = 0x01;
    private const byte NameOp = 0x08;
    private const byte BytePrefix = 0x0A;
    private const byte WordPrefix = 0x0B;
    private const byte DWordPrefix = 0x0C;
    private const byte QWordPrefix = 0x0E;
    private const byte PackageOp = 0x12;

    /// <summary>A PkgLength counts itself; at most three bytes follow the lead byte, so 2^28 - 1 (§20.2.4).</summary>
    private const int MaxPackageLength = (1 << 28) - 1;

    /// <summary><c>Name(name, value)</c>: DefName := NameOp NameString DataRefObject (§20.2.5.1).</summary>
    public static byte[] Name(string name, ReadOnlySpan<byte> value)
    {
        byte[] nameSeg = NameSeg(name);
        return [NameOp, .. nameSeg, .. value];
    }

    /// <summary>
    /// <c>Package() { elements }</c>: DefPackage := PackageOp PkgLength NumElements PackageElementList (§20.2.5.4).
    /// </summary>
    public static byte[] Package(params ReadOnlySpan<byte[]> elements)
    {
        if (elements.Length > byte.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(elements), elements.Length, "a Package holds at most 255 elements");
        }

        var body = new List<byte> { (byte)elements.Length };
        foreach (byte[] element in elements)
        {
            body.AddRange(element);
        }

        return [PackageOp, .. PackageLength(body.Count), .. body];
    }

    /// <summary>An integer constant in its shortest encoding (ComputationalData, §20.2.3).</summary>
    public static byte[] Integer(ulong value)
    {
        if (value <= 1)
        {
            return [value == 0 ? ZeroOp : OneOp];
        }

        (byte prefix, int width) = value switch
        {
            <= byte.MaxValue => (BytePrefix, sizeof(byte)),
            <= ushort.MaxValue => (WordPrefix, sizeof(ushort)),
            <= uint.MaxValue => (DWordPrefix, sizeof(uint)),
            _ => (QWordPrefix, sizeof(ulong)),
        };
        var encoded = new byte[1 + width];
        encoded[0] = prefix;
        for (int i = 0; i < width; i++)
        {
            encoded[1 + i] = (byte)(value >> (8 * i));
        }

        return encoded;
    }

    /// <summary>
    /// The PkgLength for a body of <paramref name="bodyLength"/> bytes; the encoded value includes the PkgLength's own
    /// bytes. One byte holds up to 63 in bits 0–5; longer forms put the count of following bytes in bits 6–7, the
    /// low nibble in bits 0–3 and the rest in the following bytes, least significant first.
    /// </summary>
    internal static byte[] PackageLength(int bodyLength)
    {
        if (bodyLength + 1 <= 0x3F)
        {
            return [(byte)(bodyLength + 1)];
        }

        for (int extraBytes = 1; extraBytes <= 3; extraBytes++)
        {
            int total = bodyLength + 1 + extraBytes;
            if (total < 1 << (4 + (8 * extraBytes)))
            {
                var encoded = new byte[1 + extraBytes];
                encoded[0] = (byte)((extraBytes << 6) | (total & 0x0F));
                for (int i = 1; i <= extraBytes; i++)
                {
                    encoded[i] = (byte)(total >> (4 + (8 * (i - 1))));
                }

                return encoded;
            }
        }

        throw new ArgumentOutOfRangeException(nameof(bodyLength), bodyLength, $"an AML package is at most {MaxPackageLength} bytes");
    }

    /// <summary>A NameSeg: a lead character A–Z or '_', then three of A–Z, 0–9, '_' (§20.2.2).</summary>
    private static byte[] NameSeg(string name)
    {
        bool valid = name.Length == 4 && (char.IsAsciiLetterUpper(name[0]) || name[0] == '_');
        for (int i = 1; valid && i < name.Length; i++)
        {
            valid = char.IsAsciiLetterUpper(name[i]) || char.IsAsciiDigit(name[i]) || name[i] == '_';
        }

        if (!valid)
        {
            throw new ArgumentException($"'{name}' is not an AML NameSeg (four characters: A-Z or _, then A-Z, 0-9 or _)", nameof(name));
        }

        return [(byte)name[0], (byte)name[1], (byte)name[2], (byte)name[3]];
    }
}
