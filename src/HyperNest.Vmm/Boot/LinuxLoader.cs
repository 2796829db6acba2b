using System.Text;
using HyperNest.Vmm.Memory;

namespace HyperNest.Vmm.Boot;

/// <summary>
/// Loads a bzImage, its initrd and command line into guest memory and builds the zero page, following the 64-bit
/// boot protocol (boot.rst, "64-bit Boot Protocol"): the protected-mode kernel at 1 MiB, entered at +0x200.
/// </summary>
public static class LinuxLoader
{
    /// <summary>boot.rst: a relocatable kernel decompresses to at least LOAD_PHYSICAL_ADDR (16 MiB on x86-64).</summary>
    public const ulong DecompressionBase = 16 * MemoryLayout.MiB;

    private const ulong Entry64Offset = 0x200;
    private const ulong PageSize = 4096;

    public static LinuxBootInfo Load(
        GuestMemory memory, KernelImage kernel, ReadOnlySpan<byte> initrd, string commandLine, ulong rsdpAddress)
    {
        SetupHeader header = kernel.Header;
        ReadOnlySpan<byte> protectedMode = kernel.ProtectedModeKernel;
        ulong kernelEnd = Math.Max(
            MemoryLayout.KernelLoadAddress + (ulong)protectedMode.Length,
            Math.Max(MemoryLayout.KernelLoadAddress, DecompressionBase) + header.InitSize);
        ulong lowRamEnd = memory.Regions[0].End;
        if (kernelEnd > lowRamEnd)
        {
            throw new BootException(
                $"kernel needs {ToMiB(kernelEnd)} MiB of guest memory to decompress, the VM has {ToMiB(memory.Size)} MiB");
        }

        memory.Write(MemoryLayout.KernelLoadAddress, protectedMode);

        var bootParams = new BootParams(kernel);
        WriteCommandLine(memory, bootParams, header, commandLine);
        bootParams.SetE820(E820Map.For(memory.Regions));
        bootParams.SetAcpiRsdp(rsdpAddress);

        ulong initrdAddress = 0;
        if (!initrd.IsEmpty)
        {
            initrdAddress = PlaceInitrd(memory, header, (ulong)initrd.Length, kernelEnd);
            memory.Write(initrdAddress, initrd);
            bootParams.SetInitrd(initrdAddress, (ulong)initrd.Length);
        }

        memory.Write(MemoryLayout.ZeroPageAddress, bootParams.Bytes);
        return new LinuxBootInfo(
            MemoryLayout.KernelLoadAddress + Entry64Offset, MemoryLayout.ZeroPageAddress, initrdAddress, (ulong)initrd.Length);
    }

    /// <summary>The initrd goes as high as the kernel allows (initrd_addr_max) in low RAM, above the kernel.</summary>
    public static ulong PlaceInitrd(GuestMemory memory, SetupHeader header, ulong size, ulong kernelEnd)
    {
        ulong limit = Math.Min(memory.Regions[0].End, (ulong)header.InitrdAddressMax + 1);
        ulong aligned = (size + PageSize - 1) & ~(PageSize - 1);
        if (aligned > limit || ((limit - aligned) & ~(PageSize - 1)) < kernelEnd)
        {
            throw new BootException(
                $"initrd of {ToMiB(size)} MiB does not fit in guest memory of {ToMiB(memory.Size)} MiB beside the kernel " +
                $"(needs about {ToMiB(kernelEnd + aligned)} MiB)");
        }

        return (limit - aligned) & ~(PageSize - 1);
    }

    private static void WriteCommandLine(GuestMemory memory, BootParams bootParams, SetupHeader header, string commandLine)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(commandLine);
        // cmdline_size excludes the terminating NUL (protocol 2.06+).
        ulong limit = Math.Min(header.CommandLineSize, MemoryLayout.CommandLineMaxSize - 1);
        if ((ulong)bytes.Length > limit)
        {
            throw new BootException($"kernel command line is {bytes.Length} bytes, this kernel accepts at most {limit}");
        }

        memory.Write(MemoryLayout.CommandLineAddress, bytes);
        memory.Write(MemoryLayout.CommandLineAddress + (ulong)bytes.Length, (byte)0);
        bootParams.SetCommandLine(MemoryLayout.CommandLineAddress);
    }

    private static ulong ToMiB(ulong bytes) => (bytes + MemoryLayout.MiB - 1) / MemoryLayout.MiB;
}
