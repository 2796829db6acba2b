using System.Buffers.Binary;

namespace HyperNest.Vmm.Boot;

/// <summary>
/// A validated bzImage: its setup header and where the protected-mode kernel starts in the file. Only the file's
/// first bytes are read to parse it; the protected-mode kernel stays in the file until it is read into guest RAM.
/// </summary>
public sealed class KernelImage
{
    /// <summary>What parsing reads: the boot sector and the setup header, which ends by 0x202 + 0xFF.</summary>
    private const int HeadLength = 0x400;

    private readonly BootFile _file;
    private readonly byte[] _head;

    private KernelImage(BootFile file, byte[] head, SetupHeader header)
    {
        _file = file;
        _head = head;
        Header = header;
    }

    public SetupHeader Header { get; }

    /// <summary>The setup header as the image has it, from 0x1F1 for <see cref="SetupHeader.Length"/> bytes.</summary>
    public ReadOnlySpan<byte> SetupHeaderBytes => _head.AsSpan(SetupHeader.Offset, Header.Length);

    /// <summary>The protected-mode kernel follows the boot sector and the setup sectors.</summary>
    public int ProtectedModeOffset => (Header.SetupSectors + 1) * 512;

    /// <summary>Bytes of the protected-mode kernel: the rest of the file.</summary>
    public int ProtectedModeLength => (int)(_file.Length - ProtectedModeOffset);

    /// <summary>Reads the protected-mode kernel into <paramref name="destination"/>, which is <see cref="ProtectedModeLength"/> long.</summary>
    public void ReadProtectedModeKernel(Span<byte> destination)
    {
        ArgumentOutOfRangeException.ThrowIfNotEqual(destination.Length, ProtectedModeLength);
        _file.ReadAt(ProtectedModeOffset, destination);
    }

    /// <summary>Parses and validates a bzImage held in memory; <paramref name="name"/> is used in error messages.</summary>
    public static KernelImage Parse(ReadOnlyMemory<byte> image, string name) => Parse(BootFile.FromBytes(image, name), name);

    /// <summary>
    /// Parses and validates the bzImage in <paramref name="file"/>, which must stay open until the kernel is loaded;
    /// <paramref name="name"/> is used in error messages.
    /// </summary>
    public static KernelImage Parse(BootFile file, string name)
    {
        byte[] head = new byte[(int)Math.Min(file.Length, HeadLength)];
        file.ReadAt(0, head);
        ReadOnlySpan<byte> bytes = head;
        if (file.Length < 0x270 ||
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

        var kernel = new KernelImage(file, head, header);
        if (kernel.ProtectedModeOffset >= file.Length || 0x1F1 + header.Length > head.Length)
        {
            throw new BootException($"{name}: truncated bzImage");
        }

        if (SetupHeader.Offset + header.Length < SetupHeader.FieldsEnd)
        {
            // The jump at 0x200 says where the header ends; past it is setup code, not fields to trust.
            throw new BootException(
                $"{name}: truncated bzImage: its setup header ends at 0x{SetupHeader.Offset + header.Length:x}, before the fields a 64-bit boot reads (to 0x{SetupHeader.FieldsEnd:x})");
        }

        return kernel;
    }

    private static bool IsElf(ReadOnlySpan<byte> image) =>
        image.Length >= 4 && image[0] == 0x7F && image[1] == (byte)'E' && image[2] == (byte)'L' && image[3] == (byte)'F';
}
