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
    private const byte StringPrefix = 0x0D;
    private const byte ScopeOp = 0x10;
    private const byte BufferOp = 0x11;
    private const byte ExtOpPrefix = 0x5B;
    private const byte DeviceOp = 0x82;
    private const byte RootChar = 0x5C;
    private const byte MethodOp = 0x14;
    private const byte NotifyOp = 0x86;

    /// <summary>A PkgLength counts itself; at most three bytes follow the lead byte, so 2^28 - 1 (§20.2.4).</summary>
    private const int MaxPackageLength = (1 << 28) - 1;

    /// <summary><c>Name(name, value)</c>: DefName := NameOp NameString DataRefObject (§20.2.5.1).</summary>
    public static byte[] Name(string name, ReadOnlySpan<byte> value)
    {
        byte[] nameSeg = NameSeg(name);
        return [NameOp, .. nameSeg, .. value];
    }

    /// <summary><c>Scope(\name) { terms }</c>: DefScope := ScopeOp PkgLength NameString TermList (§20.2.5.1).</summary>
    public static byte[] RootScope(string name, params ReadOnlySpan<byte[]> terms)
    {
        byte[] body = [RootChar, .. NameSeg(name), .. Concat(terms)];
        return [ScopeOp, .. PackageLength(body.Length), .. body];
    }

    /// <summary><c>Device(name) { terms }</c>: DefDevice := ExtOpPrefix DeviceOp PkgLength NameString TermList (§20.2.5.2).</summary>
    public static byte[] Device(string name, params ReadOnlySpan<byte[]> terms)
    {
        byte[] body = [.. NameSeg(name), .. Concat(terms)];
        return [ExtOpPrefix, DeviceOp, .. PackageLength(body.Length), .. body];
    }

    /// <summary>
    /// <c>Method(name, argCount) { terms }</c>: DefMethod := MethodOp PkgLength NameString MethodFlags TermList
    /// (§20.2.5.2); MethodFlags bits 0–2 hold the argument count, bit 3 "serialized" stays clear.
    /// </summary>
    public static byte[] Method(string name, int argumentCount, params ReadOnlySpan<byte[]> terms)
    {
        if (argumentCount is < 0 or > 7)
        {
            throw new ArgumentOutOfRangeException(nameof(argumentCount), argumentCount, "an AML method takes 0 to 7 arguments");
        }

        byte[] body = [.. NameSeg(name), (byte)argumentCount, .. Concat(terms)];
        return [MethodOp, .. PackageLength(body.Length), .. body];
    }

    /// <summary><c>Notify(target, value)</c>: DefNotify := NotifyOp NotifyObject NotifyValue (§20.2.5.3).</summary>
    public static byte[] Notify(string target, ulong value) => [NotifyOp, .. NameSeg(target), .. Integer(value)];

    /// <summary>A NUL-terminated ASCII string constant (§20.2.3).</summary>
    public static byte[] String(string value)
    {
        foreach (char c in value)
        {
            if (c is < (char)0x01 or > (char)0x7F)
            {
                throw new ArgumentException($"AML strings are ASCII without NUL: '{value}'", nameof(value));
            }
        }

        return [StringPrefix, .. System.Text.Encoding.ASCII.GetBytes(value), 0];
    }

    /// <summary>
    /// <c>EISAID("PNP0501")</c>: three letters of five bits each (A = 1) and four hex digits, stored big-endian
    /// in a DWord (§19.6.35).
    /// </summary>
    public static byte[] EisaId(string id)
    {
        if (!IsEisaId(id))
        {
            throw new ArgumentException($"'{id}' is not an EISA id (three letters A-Z, four hex digits)", nameof(id));
        }

        int vendor = ((id[0] - 0x40) << 10) | ((id[1] - 0x40) << 5) | (id[2] - 0x40);
        int product = Convert.ToInt32(id[3..], 16);
        uint value = (uint)(((vendor >> 8) & 0xFF) | ((vendor & 0xFF) << 8) | (((product >> 8) & 0xFF) << 16) | ((product & 0xFF) << 24));
        return [DWordPrefix, (byte)value, (byte)(value >> 8), (byte)(value >> 16), (byte)(value >> 24)];
    }

    public static bool IsEisaId(string id) =>
        id.Length == 7 && id[..3].All(char.IsAsciiLetterUpper) && id[3..].All(char.IsAsciiHexDigitUpper);

    /// <summary>
    /// <c>ResourceTemplate() { descriptors }</c>: a Buffer holding resource descriptors and the end tag
    /// (§6.4.2.9; a zero checksum means "treat as correct").
    /// </summary>
    public static byte[] ResourceTemplate(params ReadOnlySpan<byte[]> descriptors)
    {
        byte[] data = [.. Concat(descriptors), 0x79, 0x00];
        byte[] body = [.. Integer((ulong)data.Length), .. data];
        return [BufferOp, .. PackageLength(body.Length), .. body];
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

    private static byte[] Concat(ReadOnlySpan<byte[]> parts)
    {
        var bytes = new List<byte>();
        foreach (byte[] part in parts)
        {
            bytes.AddRange(part);
        }

        return [.. bytes];
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
