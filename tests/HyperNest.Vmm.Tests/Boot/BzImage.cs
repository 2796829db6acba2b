using System.Buffers.Binary;
using HyperNest.Vmm.Boot;

namespace HyperNest.Vmm.Tests.Boot;

/// <summary>
/// A synthetic bzImage: boot sector, setup sectors and a protected-mode kernel of recognisable bytes, with the setup
/// header fields (boot.rst, "The real-mode kernel header") a test wants to vary.
/// </summary>
internal sealed record BzImage
{
    /// <summary>Linux's header ends at 0x26C (jump byte 0x6A at 0x201): protocol 2.15.</summary>
    public byte HeaderJump { get; init; } = 0x6A;

    public byte SetupSectors { get; init; } = 4;

    public ushort Protocol { get; init; } = 0x020F;

    public byte LoadFlags { get; init; } = SetupHeader.LoadedHigh;

    public ushort XLoadFlags { get; init; } = SetupHeader.XlfKernel64;

    public uint InitrdAddressMax { get; init; } = 0x7FFF_FFFF;

    public uint CommandLineSize { get; init; } = 2047;

    /// <summary>Small enough that a 64 MiB guest has room for the kernel and an initrd.</summary>
    public uint InitSize { get; init; } = 8 << 20;

    public int ProtectedModeLength { get; init; } = 0x3000;

    /// <summary>Linux's LOAD_PHYSICAL_ADDR on x86-64: 16 MiB.</summary>
    public ulong PreferredAddress { get; init; } = 0x100_0000;

    public uint KernelAlignment { get; init; } = 0x20_0000;

    public bool Relocatable { get; init; } = true;

    public int SetupLength => (SetupSectors == 0 ? 4 : SetupSectors) * 512;

    public int ProtectedModeOffset => 512 + SetupLength;

    public static byte ProtectedModeByte(int index) => (byte)((index * 7) + 3);

    public byte[] Build()
    {
        var image = new byte[ProtectedModeOffset + ProtectedModeLength];
        image[0x1F1] = SetupSectors;
        BinaryPrimitives.WriteUInt16LittleEndian(image.AsSpan(0x1FE), SetupHeader.BootFlag);
        image[0x200] = 0xEB;
        image[0x201] = HeaderJump;
        BinaryPrimitives.WriteUInt32LittleEndian(image.AsSpan(0x202), SetupHeader.HeaderMagic);
        BinaryPrimitives.WriteUInt16LittleEndian(image.AsSpan(0x206), Protocol);
        image[0x211] = LoadFlags;
        BinaryPrimitives.WriteUInt32LittleEndian(image.AsSpan(0x22C), InitrdAddressMax);
        BinaryPrimitives.WriteUInt32LittleEndian(image.AsSpan(0x230), KernelAlignment);
        image[0x234] = Relocatable ? (byte)1 : (byte)0;
        BinaryPrimitives.WriteUInt16LittleEndian(image.AsSpan(0x236), XLoadFlags);
        BinaryPrimitives.WriteUInt32LittleEndian(image.AsSpan(0x238), CommandLineSize);
        BinaryPrimitives.WriteUInt64LittleEndian(image.AsSpan(0x258), PreferredAddress);
        BinaryPrimitives.WriteUInt32LittleEndian(image.AsSpan(0x260), InitSize);
        for (int i = 0; i < ProtectedModeLength; i++)
        {
            image[ProtectedModeOffset + i] = ProtectedModeByte(i);
        }

        return image;
    }

    public KernelImage Parse() => KernelImage.Parse(Build(), "bzImage");
}
