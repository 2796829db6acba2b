using HyperNest.Kvm;
using HyperNest.Vmm.Boot;
using HyperNest.Vmm.Memory;

namespace HyperNest.Vmm.Tests.Memory;

public sealed class MemoryLayoutTests
{
    private const ulong MiB = MemoryLayout.MiB, GiB = MemoryLayout.GiB;

    [Theory]
    [InlineData(64 * MiB)]
    [InlineData(3 * GiB)]
    public void A_Guest_Of_Up_To_3GiB_Has_One_Region_From_Zero(ulong size)
    {
        Assert.Equal([new GuestMemoryRegion(0, size, 0)], MemoryLayout.RegionsFor(size));
    }

    [Theory]
    [InlineData((3 * GiB) + 4096)]
    [InlineData(4 * GiB)]
    [InlineData(16 * GiB)]
    public void RAM_Beyond_3GiB_Continues_At_4GiB_After_Low_Ram_In_The_Host_Mapping(ulong size)
    {
        Assert.Equal(
            [new GuestMemoryRegion(0, 3 * GiB, 0), new GuestMemoryRegion(4 * GiB, size - (3 * GiB), 3 * GiB)],
            MemoryLayout.RegionsFor(size));
    }

    [Fact]
    public void Devices_Below_4GiB_Lie_In_The_Hole_Above_Low_Ram()
    {
        ulong[] addresses =
        [
            MemoryLayout.VirtioMmioBase, MemoryLayout.IoapicAddress, MemoryLayout.LapicAddress,
            MemoryLayout.TssAddress, MemoryLayout.IdentityMapAddress,
        ];

        Assert.All(addresses, a => Assert.InRange(a, MemoryLayout.LowMemoryEnd, MemoryLayout.HighMemoryStart - 1));
    }

    [Fact]
    public void Boot_Structures_Below_1MiB_Do_Not_Overlap()
    {
        var sregs = default(KvmSregs);
        LongMode.Apply(ref sregs);
        (ulong Start, ulong End)[] areas =
        [
            (sregs.Gdt.Base, sregs.Gdt.Base + sregs.Gdt.Limit + 1UL),
            (sregs.Idt.Base, sregs.Idt.Base + sregs.Idt.Limit + 1UL),
            (MemoryLayout.ZeroPageAddress, MemoryLayout.ZeroPageAddress + 4096),
            (MemoryLayout.BootStackTop - 0x800, MemoryLayout.BootStackTop),
            (MemoryLayout.Pml4Address, MemoryLayout.Pml4Address + 4096),
            (MemoryLayout.PdptAddress, MemoryLayout.PdptAddress + 4096),
            (MemoryLayout.PageDirectoryAddress, MemoryLayout.PageDirectoryAddress + (4 * 4096)),
            (MemoryLayout.CommandLineAddress, MemoryLayout.CommandLineAddress + MemoryLayout.CommandLineMaxSize),
            (MemoryLayout.EbdaStart, MemoryLayout.KernelLoadAddress),
        ];

        (ulong Start, ulong End)[] sorted = [.. areas.OrderBy(a => a.Start)];
        for (int i = 1; i < sorted.Length; i++)
        {
            Assert.True(sorted[i - 1].End <= sorted[i].Start, $"0x{sorted[i - 1].Start:x} overlaps 0x{sorted[i].Start:x}");
        }
    }

    [Theory]
    [InlineData(64 * MiB, 4 * GiB)]
    [InlineData(3 * GiB, 4 * GiB)] // low RAM ends at the hole: the region starts where high RAM would
    [InlineData(4 * GiB, 5 * GiB)]
    [InlineData(5 * GiB, 6 * GiB)]
    [InlineData((4 * GiB) + 4096, (5 * GiB) + (128 * MiB))] // high RAM ends mid-block: the next 128 MiB boundary
    [InlineData((3 * GiB) + (100 * MiB), (4 * GiB) + (128 * MiB))]
    public void Hotplug_Region_Starts_At_The_First_128MiB_Boundary_Above_Boot_Ram_And_4GiB(ulong size, ulong expected)
    {
        Assert.Equal(expected, MemoryLayout.HotplugRegionAddress(size));
    }

    [Theory]
    [InlineData(2 * MiB)]
    [InlineData(512 * MiB)]
    [InlineData((3 * GiB) - 4096)]
    [InlineData(3 * GiB)]
    [InlineData((7 * GiB) + (3 * MiB))]
    [InlineData(64 * GiB)]
    public void Hotplug_Region_Overlaps_Nothing_Else_In_The_Address_Map(ulong size)
    {
        ulong start = MemoryLayout.HotplugRegionAddress(size);

        Assert.Equal(0UL, start % MemoryLayout.HotplugAlignment);
        Assert.All(MemoryLayout.RegionsFor(size), ram => Assert.True(ram.End <= start, $"RAM up to 0x{ram.End:x} reaches 0x{start:x}"));

        // Every device, table and KVM-reserved page sits below 4 GiB; the region starts at or above it.
        ulong[] below4GiB =
        [
            MemoryLayout.AcpiTablesEnd - 1, MemoryLayout.VirtioMmioBase + (16 * MemoryLayout.VirtioMmioSize),
            MemoryLayout.IoapicAddress + 0xFFF, MemoryLayout.LapicAddress + 0xFFF, MemoryLayout.TssAddress + (3 * 4096),
            MemoryLayout.IdentityMapAddress + 4096,
        ];
        Assert.All(below4GiB, end => Assert.True(end < MemoryLayout.HighMemoryStart));
        Assert.True(start >= MemoryLayout.HighMemoryStart);
    }
}
