using HyperNest.Kvm;
using HyperNest.Vmm.Boot;
using HyperNest.Vmm.Memory;

namespace HyperNest.Vmm.Tests.Boot;

public sealed class LongModeTests : IDisposable
{
    private const ulong Present = 1, Writable = 2, PageSize = 0x80;
    private const ulong AddressMask = 0x000F_FFFF_FFFF_F000;

    private readonly GuestMemory _memory = new(64 * MemoryLayout.MiB);

    public LongModeTests() => LongMode.WriteTables(_memory);

    public static TheoryData<ulong> AddressesBelow4GiB =>
    [
        0, 0x7000, 0x10_0000, 0x10_0200, 0x1F_FFFF, 0x20_0000, 0x100_0123, 0x4000_0000, 0x8765_4321, 0xBFFF_FFFF,
        0xC000_0000, 0xFEE0_0000, 0xFFFF_FFFF,
    ];

    public void Dispose() => _memory.Dispose();

    [Fact]
    public void Gdt_Is_At_0x500()
    {
        KvmSregs sregs = Applied();

        Assert.Equal(0x500UL, sregs.Gdt.Base);
    }

    [Fact]
    public void Boot_Cs_0x10_Is_A_Present_64_Bit_Code_Segment()
    {
        ulong descriptor = Descriptor(LongMode.CodeSelector);

        Assert.Equal(1UL, Bit(descriptor, 47)); // P
        Assert.Equal(1UL, Bit(descriptor, 44)); // S: code/data
        Assert.Equal(1UL, Bit(descriptor, 43)); // executable
        Assert.Equal(1UL, Bit(descriptor, 53)); // L
        Assert.Equal(0UL, Bit(descriptor, 54)); // D must be 0 when L is 1
    }

    [Fact]
    public void Boot_Ds_0x18_Is_A_Present_Writable_Data_Segment()
    {
        ulong descriptor = Descriptor(LongMode.DataSelector);

        Assert.Equal(1UL, Bit(descriptor, 47));
        Assert.Equal(1UL, Bit(descriptor, 44));
        Assert.Equal(0UL, Bit(descriptor, 43));
        Assert.Equal(1UL, Bit(descriptor, 41)); // writable
    }

    [Fact]
    public void Selector_0x20_Is_A_Present_Busy_64_Bit_Tss_In_Memory_Within_The_Gdt_Limit()
    {
        ulong descriptor = Descriptor(LongMode.TssSelector);
        KvmSregs sregs = Applied();

        Assert.Equal(1UL, Bit(descriptor, 47));
        Assert.Equal(0UL, Bit(descriptor, 44)); // S: system descriptor
        Assert.Equal(0xBUL, (descriptor >> 40) & 0xF);
        // A system descriptor is 16 bytes in long mode (Intel SDM vol. 3A, "TSS Descriptor in 64-bit mode").
        Assert.True(sregs.Gdt.Limit >= LongMode.TssSelector + 15, $"GDT limit 0x{sregs.Gdt.Limit:x} cuts the TSS descriptor");
    }

    [Fact]
    public void Idt_Does_Not_Overlap_The_Gdt()
    {
        KvmSregs sregs = Applied();

        ulong gdtEnd = sregs.Gdt.Base + sregs.Gdt.Limit;
        ulong idtEnd = sregs.Idt.Base + sregs.Idt.Limit;
        Assert.True(gdtEnd < sregs.Idt.Base || idtEnd < sregs.Gdt.Base, "the IDT lies inside the GDT");
    }

    [Theory]
    [MemberData(nameof(AddressesBelow4GiB))]
    public void Page_Tables_Identity_Map_The_First_4GiB_With_2MiB_Pages(ulong address)
    {
        ulong pml4 = Applied().Cr3;
        ulong pml4e = Entry(pml4, address >> 39);
        Assert.Equal(Present | Writable, pml4e & (Present | Writable));
        ulong pdpte = Entry(pml4e & AddressMask, (address >> 30) & 511);
        Assert.Equal(Present | Writable, pdpte & (Present | Writable));
        Assert.Equal(0UL, pdpte & PageSize);
        ulong pde = Entry(pdpte & AddressMask, (address >> 21) & 511);
        Assert.Equal(Present | Writable | PageSize, pde & (Present | Writable | PageSize));

        Assert.Equal(address, (pde & AddressMask & ~0x1F_FFFFUL) | (address & 0x1F_FFFF));
    }

    [Fact]
    public void Nothing_Above_4GiB_Is_Mapped()
    {
        ulong pdpt = Entry(Applied().Cr3, 0) & AddressMask;

        Assert.Equal(0UL, Entry(pdpt, 4) & Present);
        Assert.Equal(0UL, Entry(Applied().Cr3, 1) & Present);
    }

    [Fact]
    public void Apply_Enables_Protection_Paging_Pae_And_Long_Mode()
    {
        KvmSregs sregs = Applied();

        Assert.Equal(1UL, Bit(sregs.Cr0, 0)); // PE
        Assert.Equal(1UL, Bit(sregs.Cr0, 31)); // PG
        Assert.Equal(1UL, Bit(sregs.Cr4, 5)); // PAE
        Assert.Equal(1UL, Bit(sregs.Efer, 8)); // LME
        Assert.Equal(1UL, Bit(sregs.Efer, 10)); // LMA
        Assert.Equal(MemoryLayout.Pml4Address, sregs.Cr3);
    }

    [Fact]
    public void Apply_Clears_The_Reset_Cache_Disable_Bits_Of_Cr0()
    {
        var sregs = new KvmSregs { Cr0 = 0x6000_0010 };

        LongMode.Apply(ref sregs);

        Assert.Equal(0UL, sregs.Cr0 & 0x6000_0000);
    }

    [Fact]
    public void Apply_Loads_64_Bit_Cs_And_Flat_Data_Segments_With_The_Boot_Selectors()
    {
        KvmSregs sregs = Applied();

        Assert.Equal(LongMode.CodeSelector, sregs.Cs.Selector);
        Assert.Equal(1, sregs.Cs.L);
        Assert.Equal(0, sregs.Cs.Db);
        Assert.Equal(1, sregs.Cs.Present);
        Assert.All([sregs.Ds, sregs.Es, sregs.Fs, sregs.Gs, sregs.Ss], segment =>
        {
            Assert.Equal(LongMode.DataSelector, segment.Selector);
            Assert.Equal(1, segment.Present);
            Assert.Equal(0UL, segment.Base);
        });
        Assert.Equal(LongMode.TssSelector, sregs.Tr.Selector);
    }

    [Fact]
    public void Entry_Registers_Point_Rip_At_The_Kernel_And_Rsi_At_The_Zero_Page_With_Interrupts_Off()
    {
        KvmRegs regs = LongMode.EntryRegisters(0x100200, 0x7000);

        Assert.Equal(0x100200UL, regs.Rip);
        Assert.Equal(0x7000UL, regs.Rsi);
        Assert.Equal(0UL, regs.Rflags & 0x200);
    }

    private static KvmSregs Applied()
    {
        var sregs = default(KvmSregs);
        LongMode.Apply(ref sregs);
        return sregs;
    }

    private static ulong Bit(ulong value, int bit) => (value >> bit) & 1;

    private ulong Descriptor(ushort selector) => _memory.Read<ulong>(Applied().Gdt.Base + selector);

    private ulong Entry(ulong table, ulong index) => _memory.Read<ulong>(table + (index * 8));
}
