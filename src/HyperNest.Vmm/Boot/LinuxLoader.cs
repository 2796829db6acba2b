using System.Numerics;
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
    /// decompress in low RAM, the initrd fit beside it, the command line within the kernel's cmdline_size and free of
    /// NUL characters. Returns the initrd's guest-physical address (0 without one). Throws <see cref="BootException"/>.
    /// </summary>
    public static ulong Check(
        IReadOnlyList<GuestMemoryRegion> regions, KernelImage kernel, ulong initrdLength, string commandLine, out byte[] commandLineBytes)
    {
        SetupHeader header = kernel.Header;
        // The kernel runs at its runtime start whatever init_size says: an init_size of 0 still needs that byte.
        UInt128 kernelEnd = UInt128.Max(
            MemoryLayout.KernelLoadAddress + (ulong)kernel.ProtectedModeLength, (UInt128)RuntimeStart(header) + Math.Max(header.InitSize, 1u));
        ulong size = SizeOf(regions);
        if (kernelEnd > regions[0].End)
        {
            throw new BootException(
                $"kernel needs {ToMiB(kernelEnd)} MiB of guest memory to decompress, the VM has {ToMiB(size)} MiB");
        }

        commandLineBytes = Encoding.UTF8.GetBytes(commandLine);
        if (commandLine.IndexOf('\0', StringComparison.Ordinal) is var nul and >= 0)
        {
            // The kernel reads its command line up to the first NUL: whatever follows would be silently dropped.
            throw new BootException($"kernel command line has a NUL character at position {nul + 1}; the kernel would ignore everything after it");
        }

        // cmdline_size excludes the terminating NUL (protocol 2.06+).
        ulong limit = Math.Min(header.CommandLineSize, MemoryLayout.CommandLineMaxSize - 1);
        if ((ulong)commandLineBytes.Length > limit)
        {
            throw new BootException($"kernel command line is {commandLineBytes.Length} bytes, this kernel accepts at most {limit}");
        }

        return initrdLength == 0 ? 0 : PlaceInitrd(regions, header, initrdLength, (ulong)kernelEnd);
    }

    /// <summary>
    /// Where the kernel decompresses itself and runs (boot.rst, init_size: the "kernel runtime start address"): a
    /// relocatable kernel at its load address (1 MiB) raised to pref_address and aligned up to kernel_alignment; any
    /// other at pref_address. init_size bytes from there must be RAM. Throws <see cref="BootException"/> for a kernel
    /// whose runtime start would put it below 1 MiB (over the boot structures) or whose alignment is not a power of two.
    /// </summary>
    public static ulong RuntimeStart(SetupHeader header)
    {
        if (!header.Relocatable)
        {
            return header.PreferredAddress >= MemoryLayout.KernelLoadAddress
                ? header.PreferredAddress
                : throw new BootException($"kernel runs at 0x{header.PreferredAddress:x} (pref_address, not relocatable), below 1 MiB where the boot structures are");
        }

        if (!BitOperations.IsPow2(header.KernelAlignment))
        {
            throw new BootException($"kernel_alignment 0x{header.KernelAlignment:x} of a relocatable kernel is not a power of two");
        }

        ulong start = Math.Max(MemoryLayout.KernelLoadAddress, header.PreferredAddress);
        ulong mask = header.KernelAlignment - 1UL;
        return start > ulong.MaxValue - mask ? ulong.MaxValue & ~mask : (start + mask) & ~mask;
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

    private static UInt128 ToMiB(UInt128 bytes) => (bytes + MemoryLayout.MiB - 1) / MemoryLayout.MiB;
}
