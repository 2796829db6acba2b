using HyperNest.Vmm.Memory;

namespace HyperNest.Vmm.Boot;

/// <summary>The memory map HyperNest reports: RAM, with the EBDA and the BIOS area (ACPI tables) reserved.</summary>
public static class E820Map
{
    public static IReadOnlyList<E820Entry> For(IReadOnlyList<GuestMemoryRegion> regions)
    {
        var map = new List<E820Entry>
        {
            new(0, MemoryLayout.EbdaStart, E820Type.Ram),
            new(MemoryLayout.EbdaStart, 0xA0000 - MemoryLayout.EbdaStart, E820Type.Reserved),
            new(MemoryLayout.AcpiTablesAddress, MemoryLayout.AcpiTablesEnd - MemoryLayout.AcpiTablesAddress, E820Type.Reserved),
        };

        foreach (GuestMemoryRegion region in regions)
        {
            ulong start = Math.Max(region.GuestPhysicalAddress, MemoryLayout.KernelLoadAddress);
            if (region.End > start)
            {
                map.Add(new E820Entry(start, region.End - start, E820Type.Ram));
            }
        }

        return map;
    }
}
