using System.Buffers.Binary;
using HyperNest.Vmm.Boot;

namespace HyperNest.Fuzz.Boot;

/// <summary>
/// The bzImage parser (<see cref="KernelImage"/>, <see cref="SetupHeader"/>) on a kernel file: the input is the
/// file's bytes, written to a file and opened as <c>hnest run --kernel</c> opens one (<see cref="BootFile.Open"/>).
/// Allowed out: <see cref="BootException"/>, the refusal the CLI prints, one line starting with the file's name.
/// Invariants of a kernel that parses (Documentation/arch/x86/boot.rst, "The real-mode kernel header"):
/// every field equals the bytes at its offset (setup_sects 0 meaning 4); every field read lies inside the header the
/// image declares (from 0x1F1 to 0x202 + the jump byte at 0x201), which is what the zero page gets; the protocol is
/// 2.06 or later with XLF_KERNEL_64 and LOADED_HIGH; the protected-mode kernel starts inside the file, runs to its
/// end, and reads back as the file's bytes; parsing the same bytes from memory gives the same header.
/// </summary>
public sealed class BzImageTarget : IFuzzTarget
{
    /// <summary>The end of the last field <see cref="SetupHeader"/> reads: init_size, 0x260 + 4.</summary>
    private const int LastFieldEnd = 0x264;

    public string Name => "bzimage";

    public string Description => "a kernel file's bytes; fields match their offsets inside the declared header, PM kernel within the file";

    public void Run(ReadOnlySpan<byte> input)
    {
        string path = ScratchFolder.File("bzImage");
        File.WriteAllBytes(path, input);
        using BootFile file = BootFile.Open(path, "kernel");
        KernelImage kernel;
        try
        {
            kernel = KernelImage.Parse(file, path);
        }
        catch (BootException e)
        {
            InvariantViolation.Check(e.Message.StartsWith(path + ": ", StringComparison.Ordinal) && !e.Message.Contains('\n'),
                $"a refusal is one line naming the file: \"{e.Message}\"");
            return;
        }

        CheckHeader(kernel.Header, input);
        InvariantViolation.Check(kernel.SetupHeaderBytes.SequenceEqual(input.Slice(SetupHeader.Offset, kernel.Header.Length)),
            "the setup header bytes for the zero page are not the file's");
        InvariantViolation.Check(kernel.ProtectedModeOffset == (kernel.Header.SetupSectors + 1) * 512,
            $"protected-mode kernel at {kernel.ProtectedModeOffset}, not after {kernel.Header.SetupSectors} setup sectors");
        InvariantViolation.Check(kernel.ProtectedModeOffset < input.Length && kernel.ProtectedModeLength > 0 &&
            kernel.ProtectedModeOffset + kernel.ProtectedModeLength == input.Length,
            $"protected-mode kernel {kernel.ProtectedModeOffset}+{kernel.ProtectedModeLength} is not the rest of a {input.Length}-byte file");
        var protectedMode = new byte[kernel.ProtectedModeLength];
        kernel.ReadProtectedModeKernel(protectedMode);
        InvariantViolation.Check(input[kernel.ProtectedModeOffset..].SequenceEqual(protectedMode), "the protected-mode kernel read back differs from the file");
        InvariantViolation.Check(KernelImage.Parse(input.ToArray(), path).Header == kernel.Header, "the same bytes in memory parse to another header");
    }

    private static void CheckHeader(SetupHeader header, ReadOnlySpan<byte> image)
    {
        int declaredEnd = 0x202 + image[0x201];
        InvariantViolation.Check(header.Length == declaredEnd - SetupHeader.Offset, $"header length {header.Length}, the jump says {declaredEnd - SetupHeader.Offset}");
        InvariantViolation.Check(declaredEnd >= LastFieldEnd,
            $"the header ends at 0x{declaredEnd:x} but its fields were read up to 0x{LastFieldEnd:x}: values from past the header were used");
        Field(header.SetupSectors, image[0x1F1] == 0 ? 4u : image[0x1F1], "setup_sects");
        Field(header.ProtocolVersion, BinaryPrimitives.ReadUInt16LittleEndian(image[0x206..]), "version");
        Field(header.LoadFlags, image[0x211], "loadflags");
        Field(header.InitrdAddressMax, BinaryPrimitives.ReadUInt32LittleEndian(image[0x22C..]), "initrd_addr_max");
        Field(header.KernelAlignment, BinaryPrimitives.ReadUInt32LittleEndian(image[0x230..]), "kernel_alignment");
        Field(header.Relocatable ? 1u : 0u, image[0x234] != 0 ? 1u : 0u, "relocatable_kernel");
        Field(header.XLoadFlags, BinaryPrimitives.ReadUInt16LittleEndian(image[0x236..]), "xloadflags");
        Field(header.CommandLineSize, BinaryPrimitives.ReadUInt32LittleEndian(image[0x238..]), "cmdline_size");
        Field(header.PreferredAddress, BinaryPrimitives.ReadUInt64LittleEndian(image[0x258..]), "pref_address");
        Field(header.InitSize, BinaryPrimitives.ReadUInt32LittleEndian(image[0x260..]), "init_size");
        InvariantViolation.Check(header.ProtocolVersion >= SetupHeader.MinimumProtocol, $"protocol {header.ProtocolText} accepted");
        InvariantViolation.Check((header.XLoadFlags & SetupHeader.XlfKernel64) != 0, "a kernel without XLF_KERNEL_64 accepted");
        InvariantViolation.Check((header.LoadFlags & SetupHeader.LoadedHigh) != 0, "a kernel without LOADED_HIGH accepted");
    }

    private static void Field(ulong parsed, ulong inFile, string name) =>
        InvariantViolation.Check(parsed == inFile, $"{name} parsed as 0x{parsed:x}, the file has 0x{inFile:x}");
}
