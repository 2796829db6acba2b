using HyperNest.Kvm;
using HyperNest.Vmm.Memory;

namespace HyperNest.Vmm.Boot;

/// <summary>
/// The CPU state in which the 64-bit Linux boot protocol enters the kernel (boot.rst, "64-bit Boot Protocol"):
/// long mode with paging on, an identity map covering the kernel, zero page and command line, a GDT with
/// __BOOT_CS (0x10) as a 64-bit code segment and __BOOT_DS (0x18) as data, interrupts off, RSI = zero page.
/// </summary>
public static class LongMode
{
    public const ushort CodeSelector = 0x10;
    public const ushort DataSelector = 0x18;
    public const ushort TssSelector = 0x20;

    private const ulong Cr0ProtectionEnable = 1UL << 0;
    private const ulong Cr0ExtensionType = 1UL << 4;
    private const ulong Cr0Paging = 1UL << 31;
    private const ulong Cr4Pae = 1UL << 5;
    private const ulong EferLme = 1UL << 8;
    private const ulong EferLma = 1UL << 10;
    private const ulong PagePresentWritable = 0x3;
    private const ulong PageSize2M = 0x80;

    /// <summary>
    /// GDT entries: null, null, 64-bit code, data, busy 64-bit TSS (VMX insists on a usable TR). In long mode a TSS
    /// descriptor takes two slots, the second holding base[63:32] (Intel SDM vol. 3A, "TSS Descriptor in 64-bit mode").
    /// </summary>
    private static readonly ulong[] GdtEntries =
    [
        0,
        0,
        0x00AF_9B00_0000_FFFF,
        0x00CF_9300_0000_FFFF,
        0x008F_8B00_0000_FFFF,
        0,
    ];

    /// <summary>Writes the GDT, an empty IDT and identity page tables for the first 4 GiB into guest memory.</summary>
    public static void WriteTables(GuestMemory memory)
    {
        for (int i = 0; i < GdtEntries.Length; i++)
        {
            memory.Write(MemoryLayout.GdtAddress + ((ulong)i * 8), GdtEntries[i]);
        }

        memory.Write(MemoryLayout.IdtAddress, 0UL);

        memory.GetSpan(MemoryLayout.Pml4Address, 0x1000).Clear();
        memory.GetSpan(MemoryLayout.PdptAddress, 0x1000).Clear();
        memory.Write(MemoryLayout.Pml4Address, MemoryLayout.PdptAddress | PagePresentWritable);
        for (ulong directory = 0; directory < 4; directory++)
        {
            ulong directoryAddress = MemoryLayout.PageDirectoryAddress + (directory * 0x1000);
            memory.Write(MemoryLayout.PdptAddress + (directory * 8), directoryAddress | PagePresentWritable);
            for (ulong entry = 0; entry < 512; entry++)
            {
                ulong physical = ((directory * 512) + entry) << 21;
                memory.Write(directoryAddress + (entry * 8), physical | PagePresentWritable | PageSize2M);
            }
        }
    }

    /// <summary>Puts a vCPU's special registers into the boot protocol's long-mode state.</summary>
    public static void Apply(ref KvmSregs sregs)
    {
        KvmSegment code = Segment(CodeSelector, type: 0xB, longMode: true);
        KvmSegment data = Segment(DataSelector, type: 0x3, longMode: false);
        sregs.Cs = code;
        sregs.Ds = sregs.Es = sregs.Fs = sregs.Gs = sregs.Ss = data;
        sregs.Tr = new KvmSegment
        {
            Base = 0, Limit = 0xFFFFF, Selector = TssSelector, Type = 0xB, Present = 1, G = 1,
        };
        sregs.Gdt = new KvmDtable { Base = MemoryLayout.GdtAddress, Limit = (ushort)((GdtEntries.Length * 8) - 1) };
        sregs.Idt = new KvmDtable { Base = MemoryLayout.IdtAddress, Limit = 7 };
        sregs.Cr0 = (sregs.Cr0 | Cr0ProtectionEnable | Cr0ExtensionType | Cr0Paging) & ~((1UL << 29) | (1UL << 30));
        sregs.Cr3 = MemoryLayout.Pml4Address;
        sregs.Cr4 |= Cr4Pae;
        sregs.Efer |= EferLme | EferLma;
    }

    /// <summary>The registers at the 64-bit entry point.</summary>
    public static KvmRegs EntryRegisters(ulong entryPoint, ulong zeroPage) => new()
    {
        Rip = entryPoint,
        Rsi = zeroPage,
        Rsp = MemoryLayout.BootStackTop,
        Rbp = MemoryLayout.BootStackTop,
        Rflags = 0x2,
    };

    private static KvmSegment Segment(ushort selector, byte type, bool longMode) => new()
    {
        Base = 0,
        Limit = 0xFFFFFFFF,
        Selector = selector,
        Type = type,
        Present = 1,
        Dpl = 0,
        Db = longMode ? (byte)0 : (byte)1,
        S = 1,
        L = longMode ? (byte)1 : (byte)0,
        G = 1,
    };
}
