using System.Text;
using HyperNest.Vmm.Memory;

namespace HyperNest.Vmm.Boot;

/// <summary>
/// Loads a bzImage, its initrd and command line into guest memory and builds the zero page, following the 64-bit
/// boot protocol (boot.rst, "64-bit Boot Protocol"): the protected-mode kernel at 1 MiB, entered at +0x200.
/// Kernel and initrd are read from their files straight into guest RAM.
/// </summary>
public static class LinuxLoader
{
    /// <summary>boot.rst: a relocatable kernel decompresses to at least LOAD_PHYSICAL_ADDR (16 MiB on x86-64).</summary>
    public const ulong DecompressionBase = 16 * MemoryLayout.MiB;

    private const ulong Entry64Offset = 0x200;
    private const ulong PageSize = 4096;

    public static LinuxBootInfo Load(
        GuestMemory memory, KernelImage kernel, BootFile initrd, string commandLine, ulong rsdpAddress)
    {
        ulong initrdAddress = Check(memory.Regions, kernel, (ulong)initrd.Length, commandLine, out byte[] commandLineBytes);
        kernel.ReadProtectedModeKernel(memory.GetSpan(MemoryLayout.KernelLoadAddress, kernel.ProtectedModeLength));

        var bootParams = new BootParams(kernel);
        memory.Write(MemoryLayout.CommandLineAddress, commandLineBytes);
        memory.Write(MemoryLayout.CommandLineAddress + (ulong)commandLineBytes.Length, (byte)0);
        bootParams.SetCommandLine(MemoryLayout.CommandLineAddress);
        bootParams.SetE820(E820Map.For(memory.Regions));
        bootParams.SetAcpiRsdp(rsdpAddress);
        if (initrd.Length > 0)
        {
            initrd.ReadAt(0, memory.GetSpan(initrdAddress, (int)initrd.Length));
            bootParams.SetInitrd(initrdAddress, (ulong)initrd.Length);
        }

        memory.Write(MemoryLayout.ZeroPageAddress, bootParams.Bytes);
        return new LinuxBootInfo(
            MemoryLayout.KernelLoadAddress + Entry64Offset, MemoryLayout.ZeroPageAddress, initrdAddress, (ulong)initrd.Length);
    }

    /// <summary>
    /// Everything <see cref="Load"/> refuses, decided from sizes alone (no guest memory is touched): the kernel must
    /// decompress in low RAM, the initrd fit beside it, the command line within the kernel's cmdline_size. Returns
    /// the initrd's guest-physical address (0 without one). Throws <see cref="BootException"/>.
    /// </summary>
    public static ulong Check(
        IReadOnlyList<GuestMemoryRegion> regions, KernelImage kernel, ulong initrdLength, string commandLine, out byte[] commandLineBytes)
    {
        SetupHeader header = kernel.Header;
        ulong kernelEnd = Math.Max(
            MemoryLayout.KernelLoadAddress + (ulong)kernel.ProtectedModeLength,
            Math.Max(MemoryLayout.KernelLoadAddress, DecompressionBase) + header.InitSize);
        ulong lowRamEnd = regions[0].End;
        ulong size = SizeOf(regions);
        if (kernelEnd > lowRamEnd)
        {
            throw new BootException(
                $"kernel needs {ToMiB(kernelEnd)} MiB of guest memory to decompress, the VM has {ToMiB(size)} MiB");
        }

        commandLineBytes = Encoding.UTF8.GetBytes(commandLine);
        // cmdline_size excludes the terminating NUL (protocol 2.06+).
        ulong limit = Math.Min(header.CommandLineSize, MemoryLayout.CommandLineMaxSize - 1);
        if ((ulong)commandLineBytes.Length > limit)
        {
            throw new BootException($"kernel command line is {commandLineBytes.Length} bytes, this kernel accepts at most {limit}");
        }

        return initrdLength == 0 ? 0 : PlaceInitrd(regions, header, initrdLength, kernelEnd);
    }

    /// <summary>The initrd goes as high as the kernel allows (initrd_addr_max) in low RAM, above the kernel.</summary>
    public static ulong PlaceInitrd(IReadOnlyList<GuestMemoryRegion> regions, SetupHeader header, ulong size, ulong kernelEnd)
    {
        ulong limit = Math.Min(regions[0].End, (ulong)header.InitrdAddressMax + 1);
        ulong aligned = (size + PageSize - 1) & ~(PageSize - 1);
        if (aligned > limit || ((limit - aligned) & ~(PageSize - 1)) < kernelEnd)
        {
            throw new BootException(
                $"initrd of {ToMiB(size)} MiB does not fit in guest memory of {ToMiB(SizeOf(regions))} MiB beside the kernel " +
                $"(needs about {ToMiB(kernelEnd + aligned)} MiB)");
        }

        return (limit - aligned) & ~(PageSize - 1);
    }

    private static ulong SizeOf(IReadOnlyList<GuestMemoryRegion> regions) => regions.Aggregate(0UL, (sum, r) => sum + r.Size);

    private static ulong ToMiB(ulong bytes) => (bytes + MemoryLayout.MiB - 1) / MemoryLayout.MiB;
}
