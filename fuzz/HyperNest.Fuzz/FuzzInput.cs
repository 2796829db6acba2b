using System.Buffers.Binary;

namespace HyperNest.Fuzz;

/// <summary>
/// Reads a fuzzer's bytes as a little-endian stream of values; past the end every value is zero, so any input is a
/// complete program for a target that interprets it (<see cref="IsEmpty"/> tells it to stop).
/// </summary>
public ref struct FuzzInput(ReadOnlySpan<byte> bytes)
{
    private ReadOnlySpan<byte> _rest = bytes;

    public readonly bool IsEmpty => _rest.IsEmpty;

    public readonly int Remaining => _rest.Length;

    public byte Byte() => Take(1) is { Length: 1 } b ? b[0] : (byte)0;

    public ushort UInt16() => Take(2) is { Length: 2 } b ? BinaryPrimitives.ReadUInt16LittleEndian(b) : (ushort)0;

    public uint UInt32() => Take(4) is { Length: 4 } b ? BinaryPrimitives.ReadUInt32LittleEndian(b) : 0;

    public ulong UInt64() => Take(8) is { Length: 8 } b ? BinaryPrimitives.ReadUInt64LittleEndian(b) : 0;

    public bool Bool() => (Byte() & 1) != 0;

    /// <summary>Up to <paramref name="length"/> bytes (fewer at the end of the input).</summary>
    public ReadOnlySpan<byte> Bytes(int length) => Take(length);

    /// <summary>Everything not read yet.</summary>
    public ReadOnlySpan<byte> Rest() => Take(_rest.Length);

    private ReadOnlySpan<byte> Take(int length)
    {
        var taken = _rest[..Math.Min(length, _rest.Length)];
        _rest = _rest[taken.Length..];
        return taken;
    }
}
