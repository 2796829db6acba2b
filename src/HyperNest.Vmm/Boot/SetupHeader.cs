using System.Buffers.Binary;

namespace HyperNest.Vmm.Boot;

/// <summary>
/// The fields of a bzImage's real-mode kernel header that a 64-bit boot loader needs (boot.rst, "The real-mode
/// kernel header"; offsets are from the start of the image, which is also their offset in the zero page).
/// </summary>
public sealed record SetupHeader
{
    public const int Offset = 0x1F1;
    public const uint HeaderMagic = 0x53726448; // "HdrS"
    public const ushort BootFlag = 0xAA55;

    /// <summary>boot.rst: protocol 2.06 is the oldest whose command line and initrd limits HyperNest can trust.</summary>
    public const ushort MinimumProtocol = 0x0206;

    /// <summary>
    /// The end of the last field <see cref="Read"/> takes (init_size, 0x260 + 4, protocol 2.10): a header the image
    /// declares shorter does not hold them all.
    /// </summary>
    public const int FieldsEnd = 0x264;

    public const byte LoadedHigh = 0x01;
    public const byte CanUseHeap = 0x80;
    public const ushort XlfKernel64 = 0x0001;

    public required byte SetupSectors { get; init; }

    public required ushort ProtocolVersion { get; init; }

    public required byte LoadFlags { get; init; }

    public required uint InitrdAddressMax { get; init; }

    public required uint KernelAlignment { get; init; }

    public required bool Relocatable { get; init; }

    public required ushort XLoadFlags { get; init; }

    public required uint CommandLineSize { get; init; }

    public required ulong PreferredAddress { get; init; }

    public required uint InitSize { get; init; }

    /// <summary>The header bytes from 0x1F1 to the end the image declares (0x202 + byte 0x201), copied to the zero page.</summary>
    public required int Length { get; init; }

    public string ProtocolText => $"{ProtocolVersion >> 8}.{ProtocolVersion & 0xFF:D2}";

    public static SetupHeader Read(ReadOnlySpan<byte> image)
    {
        byte setupSectors = image[0x1F1];
        return new SetupHeader
        {
            SetupSectors = setupSectors == 0 ? (byte)4 : setupSectors,
            ProtocolVersion = BinaryPrimitives.ReadUInt16LittleEndian(image[0x206..]),
            LoadFlags = image[0x211],
            InitrdAddressMax = BinaryPrimitives.ReadUInt32LittleEndian(image[0x22C..]),
            KernelAlignment = BinaryPrimitives.ReadUInt32LittleEndian(image[0x230..]),
            Relocatable = image[0x234] != 0,
            XLoadFlags = BinaryPrimitives.ReadUInt16LittleEndian(image[0x236..]),
            CommandLineSize = BinaryPrimitives.ReadUInt32LittleEndian(image[0x238..]),
            PreferredAddress = BinaryPrimitives.ReadUInt64LittleEndian(image[0x258..]),
            InitSize = BinaryPrimitives.ReadUInt32LittleEndian(image[0x260..]),
            Length = 0x202 + image[0x201] - Offset,
        };
    }
}
