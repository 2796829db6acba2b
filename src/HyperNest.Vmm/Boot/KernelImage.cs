using System.Buffers.Binary;

namespace HyperNest.Vmm.Boot;

/// <summary>A validated bzImage: its setup header and where the protected-mode kernel starts in the file.</summary>
public sealed class KernelImage
{
    private KernelImage(ReadOnlyMemory<byte> image, SetupHeader header)
    {
        Image = image;
        Header = header;
    }

    /// <summary>The whole file (a managed array, or host memory outside the GC heap for large kernels).</summary>
    public ReadOnlyMemory<byte> Image { get; }

    public SetupHeader Header { get; }

    /// <summary>The protected-mode kernel follows the boot sector and the setup sectors.</summary>
    public int ProtectedModeOffset => (Header.SetupSectors + 1) * 512;

    public ReadOnlySpan<byte> ProtectedModeKernel => Image.Span[ProtectedModeOffset..];

    /// <summary>Parses and validates a bzImage; <paramref name="name"/> is used in error messages.</summary>
    public static KernelImage Parse(ReadOnlyMemory<byte> image, string name)
    {
        ReadOnlySpan<byte> bytes = image.Span;
        if (image.Length < 0x270 ||
            BinaryPrimitives.ReadUInt16LittleEndian(bytes[0x1FE..]) != SetupHeader.BootFlag ||
            BinaryPrimitives.ReadUInt32LittleEndian(bytes[0x202..]) != SetupHeader.HeaderMagic)
        {
            throw new BootException(IsElf(bytes)
                ? $"{name}: ELF vmlinux images are not supported, use the bzImage (vmlinuz)"
                : $"{name}: not a Linux kernel (no bzImage boot header)");
        }

        SetupHeader header = SetupHeader.Read(bytes);
        if (header.ProtocolVersion < SetupHeader.MinimumProtocol)
        {
            throw new BootException(
                $"{name}: boot protocol {header.ProtocolText} is too old, HyperNest needs 2.06 or later");
        }

        if ((header.XLoadFlags & SetupHeader.XlfKernel64) == 0)
        {
            throw new BootException($"{name}: kernel has no 64-bit entry point (XLF_KERNEL_64 not set)");
        }

        if ((header.LoadFlags & SetupHeader.LoadedHigh) == 0)
        {
            throw new BootException($"{name}: zImage kernels (loaded below 1 MiB) are not supported");
        }

        var kernel = new KernelImage(image, header);
        if (kernel.ProtectedModeOffset >= image.Length || header.Length <= 0x11 || 0x1F1 + header.Length > image.Length)
        {
            throw new BootException($"{name}: truncated bzImage");
        }

        return kernel;
    }

    private static bool IsElf(ReadOnlySpan<byte> image) =>
        image.Length >= 4 && image[0] == 0x7F && image[1] == (byte)'E' && image[2] == (byte)'L' && image[3] == (byte)'F';
}
