using System.Buffers.Binary;

namespace HyperNest.Vmm.Boot.Acpi;

/// <summary>A Generic Address Structure (ACPI 6.5 §5.2.3.2, Table 5.1): where a register lives and how to reach it.</summary>
internal readonly record struct GenericAddress(byte AddressSpaceId, byte BitWidth, byte BitOffset, byte AccessSize, ulong Address)
{
    public const int Size = 12;

    private const byte SystemIo = 1;
    private const byte ByteAccess = 1;

    /// <summary>An 8-bit register in port I/O space, accessed a byte at a time.</summary>
    public static GenericAddress IoPortByte(ushort port) => new(SystemIo, BitWidth: 8, BitOffset: 0, ByteAccess, port);

    public void WriteTo(Span<byte> destination)
    {
        destination[0] = AddressSpaceId;
        destination[1] = BitWidth;
        destination[2] = BitOffset;
        destination[3] = AccessSize;
        BinaryPrimitives.WriteUInt64LittleEndian(destination[4..], Address);
    }
}
