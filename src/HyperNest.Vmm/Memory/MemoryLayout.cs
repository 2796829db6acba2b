namespace HyperNest.Vmm.Memory;

/// <summary>
/// Where things live in the guest-physical address space. Below 1 MiB: boot structures (the Linux boot protocol
/// leaves the layout to the loader, Documentation/arch/x86/boot.rst); ACPI tables in the BIOS area 0xE0000–0xFFFFF
/// where a legacy scan also finds the RSDP. RAM above 3 GiB is moved above 4 GiB to leave a hole for MMIO devices,
/// the IOAPIC and the LAPIC. Hot-pluggable (virtio-mem) memory follows all boot RAM, above 4 GiB.
/// </summary>
public static class MemoryLayout
{
    public const ulong KiB = 1024, MiB = 1024 * KiB, GiB = 1024 * MiB;

    public const ulong GdtAddress = 0x500;

    /// <summary>After the GDT's six 8-byte slots (0x500–0x52F), which end with the 16-byte TSS descriptor.</summary>
    public const ulong IdtAddress = 0x530;

    public const ulong ZeroPageAddress = 0x7000;
    public const ulong Pml4Address = 0x9000;
    public const ulong PdptAddress = 0xA000;

    /// <summary>Four page directories (0xB000–0xEFFF) identity-map the first 4 GiB with 2 MiB pages.</summary>
    public const ulong PageDirectoryAddress = 0xB000;
    public const ulong BootStackTop = 0x8FF0;
    public const ulong CommandLineAddress = 0x20000;
    public const ulong CommandLineMaxSize = 0x10000;

    /// <summary>End of conventional memory; the EBDA and BIOS area above it are reserved in the e820 map.</summary>
    public const ulong EbdaStart = 0x9FC00;
    public const ulong AcpiTablesAddress = 0xE0000;
    public const ulong AcpiTablesEnd = 0x100000;

    /// <summary>The protected-mode kernel is loaded at 1 MiB (boot.rst: "the traditional location").</summary>
    public const ulong KernelLoadAddress = 0x100000;

    /// <summary>Guest RAM beyond this is placed above 4 GiB.</summary>
    public const ulong LowMemoryEnd = 3 * GiB;
    public const ulong HighMemoryStart = 4 * GiB;

    /// <summary>virtio-mmio devices: one 4 KiB window each, from here up (virtio 1.2 §4.2.2).</summary>
    public const ulong VirtioMmioBase = 0xD000_0000;
    public const ulong VirtioMmioSize = 0x1000;

    public const ulong IoapicAddress = 0xFEC0_0000;
    public const ulong LapicAddress = 0xFEE0_0000;

    /// <summary>KVM needs a 3-page TSS (and a 1-page identity map on Intel) below 4 GiB outside RAM.</summary>
    public const ulong TssAddress = 0xFFFB_D000;
    public const ulong IdentityMapAddress = 0xFFFB_C000;

    /// <summary>
    /// Where a hot-pluggable region may start: Linux on x86-64 adds memory in 128 MiB memory blocks (its memory
    /// block size for guests under 64 GiB, and for larger ones whenever their RAM does not end at a larger power of
    /// two), and warns that memory is lost when the virtio-mem region is not aligned to them.
    /// </summary>
    public const ulong HotplugAlignment = 128 * MiB;

    /// <summary>
    /// The guest-physical address of the hot-pluggable region of a guest with <paramref name="size"/> bytes of boot
    /// RAM: the first <see cref="HotplugAlignment"/> boundary above all of that RAM and at or above 4 GiB, so above
    /// the MMIO hole, the IOAPIC, the LAPIC and the pages KVM reserves. Nothing else is mapped there.
    /// </summary>
    public static ulong HotplugRegionAddress(ulong size)
    {
        ulong ramEnd = RegionsFor(size)[^1].End;
        ulong aligned = (ramEnd + HotplugAlignment - 1) / HotplugAlignment * HotplugAlignment;
        return Math.Max(aligned, HighMemoryStart);
    }

    /// <summary>The regions of guest RAM for a guest of <paramref name="size"/> bytes.</summary>
    public static IReadOnlyList<GuestMemoryRegion> RegionsFor(ulong size)
    {
        ulong low = Math.Min(size, LowMemoryEnd);
        var regions = new List<GuestMemoryRegion> { new(0, low, 0) };
        if (size > low)
        {
            regions.Add(new GuestMemoryRegion(HighMemoryStart, size - low, low));
        }

        return regions;
    }
}
