using System.Buffers.Binary;
using HyperNest.Vmm.Boot;

namespace HyperNest.Vmm.Tests.Boot;

/// <summary>Reads struct boot_params fields by their offsets in arch/x86/include/uapi/asm/bootparam.h.</summary>
internal sealed class ZeroPage(byte[] bytes)
{
    public const int AcpiRsdpAddr = 0x070;
    public const int ExtRamdiskImage = 0x0C0;
    public const int ExtRamdiskSize = 0x0C4;
    public const int ExtCmdLinePtr = 0x0C8;
    public const int E820Entries = 0x1E8;
    public const int TypeOfLoader = 0x210;
    public const int LoadFlags = 0x211;
    public const int RamdiskImage = 0x218;
    public const int RamdiskSize = 0x21C;
    public const int HeapEndPtr = 0x224;
    public const int CmdLinePtr = 0x228;
    public const int E820Table = 0x2D0;

    public byte[] Bytes { get; } = bytes;

    public ulong CommandLine => U32(CmdLinePtr) | ((ulong)U32(ExtCmdLinePtr) << 32);

    public ulong RamdiskAddress => U32(RamdiskImage) | ((ulong)U32(ExtRamdiskImage) << 32);

    public ulong RamdiskLength => U32(RamdiskSize) | ((ulong)U32(ExtRamdiskSize) << 32);

    public ulong AcpiRsdp => BinaryPrimitives.ReadUInt64LittleEndian(Bytes.AsSpan(AcpiRsdpAddr));

    public IReadOnlyList<E820Entry> E820 => [.. Enumerable.Range(0, Bytes[E820Entries]).Select(i =>
    {
        ReadOnlySpan<byte> entry = Bytes.AsSpan(E820Table + (i * 20), 20);
        return new E820Entry(
            BinaryPrimitives.ReadUInt64LittleEndian(entry),
            BinaryPrimitives.ReadUInt64LittleEndian(entry[8..]),
            (E820Type)BinaryPrimitives.ReadUInt32LittleEndian(entry[16..]));
    })];

    public uint U32(int offset) => BinaryPrimitives.ReadUInt32LittleEndian(Bytes.AsSpan(offset));

    public ushort U16(int offset) => BinaryPrimitives.ReadUInt16LittleEndian(Bytes.AsSpan(offset));
}
