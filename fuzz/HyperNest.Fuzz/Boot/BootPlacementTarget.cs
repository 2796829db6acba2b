using System.Buffers.Binary;
using System.Text;
using HyperNest.Vmm.Boot;
using HyperNest.Vmm.Boot.Acpi;
using HyperNest.Vmm.Memory;

namespace HyperNest.Fuzz.Boot;

/// <summary>
/// Where a boot puts things (<see cref="LinuxLoader"/>, <see cref="BootParams"/>, <see cref="E820Map"/>,
/// <see cref="MemoryLayout"/>), in the order a VM is built: ACPI tables, page tables, then the kernel, initrd,
/// command line and zero page. The input picks the guest's memory size (from a few, each mapping kept for reuse), a
/// valid bzImage's fields (setup_sects, xloadflags, initrd_addr_max, cmdline_size, kernel_alignment,
/// relocatable_kernel, pref_address, init_size), its protected-mode length, an initrd length and the command line
/// (the rest, as UTF-8). Allowed out: <see cref="BootException"/> (one line, not empty), the refusal a start prints.
/// Invariants of a load (boot.rst, "64-bit Boot Protocol", "Details of header fields"): kernel, the area the kernel
/// decompresses into (from the runtime start address boot.rst defines by pref_address, kernel_alignment and
/// relocatable_kernel, for init_size bytes), initrd, command line, zero page, GDT/IDT, page tables and ACPI tables
/// do not overlap one another (the kernel may overlap its own decompression area); all but the ACPI tables lie in
/// RAM of the zero page's e820 map and the ACPI tables in a reserved entry; e820 RAM exists in guest memory; the
/// initrd is page-aligned and ends at or below initrd_addr_max; the command line is its UTF-8 bytes, NUL-terminated,
/// with no NUL before (the kernel would see less), within cmdline_size; the kernel and initrd bytes are where the
/// zero page says; the zero page carries the kernel's header; the ACPI and page tables are unchanged by the load.
/// </summary>
public sealed class BootPlacementTarget : IFuzzTarget
{
    private const ulong MiB = MemoryLayout.MiB;

    /// <summary>Guest sizes: around what a kernel needs, the product's 32 MiB minimum, and one with RAM above 4 GiB.</summary>
    private static readonly ulong[] MemorySizes = [17 * MiB, 20 * MiB, 32 * MiB, 33 * MiB, 48 * MiB, 64 * MiB, (3 * 1024 * MiB) + (32 * MiB)];

    private const int MaxInitrd = 1 << 20;
    private const int HeaderLength = 0x6A + 0x202 - SetupHeader.Offset;

    /// <summary>Every initrd is a prefix of this: recognisable bytes, made once.</summary>
    private static readonly byte[] InitrdPattern = [.. Enumerable.Range(0, MaxInitrd).Select(i => (byte)((i * 13) + 5))];

    [ThreadStatic]
    private static GuestMemory?[]? s_memories;

    [ThreadStatic]
    private static byte[]? s_acpi, s_tables;

    public string Name => "boot-placement";

    public string Description => "a guest size, a bzImage's placement fields, an initrd and a command line; no overlaps, all in e820 RAM";

    public void Run(ReadOnlySpan<byte> input)
    {
        var reader = new FuzzInput(input);
        int sizeIndex = reader.Byte() % MemorySizes.Length;
        byte[] image = BuildKernel(ref reader, out int protectedModeLength);
        int initrdLength = (int)(reader.UInt32() % (MaxInitrd + 1));
        string commandLine = Encoding.UTF8.GetString(reader.Rest());

        KernelImage kernel;
        try
        {
            kernel = KernelImage.Parse(image, "kernel");
        }
        catch (BootException e)
        {
            CheckRefusal(e);
            return;
        }

        s_memories ??= new GuestMemory?[MemorySizes.Length];
        GuestMemory memory = s_memories[sizeIndex] ??= new GuestMemory(MemorySizes[sizeIndex]);
        ulong rsdp = AcpiTables.Write(memory, 1);
        LongMode.WriteTables(memory);
        s_acpi ??= new byte[MemoryLayout.AcpiTablesEnd - MemoryLayout.AcpiTablesAddress];
        s_tables ??= new byte[0x10000];
        memory.Read(MemoryLayout.AcpiTablesAddress, s_acpi);
        memory.Read(0, s_tables);

        ReadOnlyMemory<byte> initrdBytes = InitrdPattern.AsMemory(0, initrdLength);
        LinuxBootInfo boot;
        try
        {
            boot = LinuxLoader.Load(memory, kernel, initrdLength == 0 ? BootFile.None : BootFile.FromBytes(initrdBytes, "initrd"), commandLine, rsdp);
        }
        catch (BootException e)
        {
            CheckRefusal(e);
            return;
        }

        try
        {
            new Placement(memory, kernel, image, protectedModeLength, initrdBytes, commandLine).Check(boot);
        }
        finally
        {
            if (boot.InitrdSize > 0)
            {
                // The large guest's initrd lands anywhere below 3 GiB: give its pages back, or runs pile them up.
                memory.Discard(boot.InitrdAddress & ~4095UL, ((boot.InitrdSize + 4095) & ~4095UL));
            }
        }
    }

    /// <summary>A bzImage (protocol 2.15, the header Linux has) whose placement fields are the fuzzer's.</summary>
    private static byte[] BuildKernel(ref FuzzInput reader, out int protectedModeLength)
    {
        byte setupSectors = reader.Byte();
        ushort xloadflags = reader.UInt16();
        uint initrdAddressMax = reader.UInt32();
        uint commandLineSize = reader.UInt32();
        uint kernelAlignment = reader.UInt32();
        byte relocatable = reader.Byte();
        ulong preferredAddress = reader.UInt64();
        uint initSize = reader.UInt32();
        protectedModeLength = reader.UInt16() + 1;
        int offset = ((setupSectors == 0 ? 4 : setupSectors) + 1) * 512;
        var image = new byte[offset + protectedModeLength];
        image[0x1F1] = setupSectors;
        BinaryPrimitives.WriteUInt16LittleEndian(image.AsSpan(0x1FE), SetupHeader.BootFlag);
        image[0x200] = 0xEB;
        image[0x201] = HeaderLength + SetupHeader.Offset - 0x202;
        BinaryPrimitives.WriteUInt32LittleEndian(image.AsSpan(0x202), SetupHeader.HeaderMagic);
        BinaryPrimitives.WriteUInt16LittleEndian(image.AsSpan(0x206), 0x020F);
        image[0x211] = SetupHeader.LoadedHigh;
        BinaryPrimitives.WriteUInt32LittleEndian(image.AsSpan(0x22C), initrdAddressMax);
        BinaryPrimitives.WriteUInt32LittleEndian(image.AsSpan(0x230), kernelAlignment);
        image[0x234] = relocatable;
        BinaryPrimitives.WriteUInt16LittleEndian(image.AsSpan(0x236), xloadflags);
        BinaryPrimitives.WriteUInt32LittleEndian(image.AsSpan(0x238), commandLineSize);
        BinaryPrimitives.WriteUInt64LittleEndian(image.AsSpan(0x258), preferredAddress);
        BinaryPrimitives.WriteUInt32LittleEndian(image.AsSpan(0x260), initSize);
        for (int i = 0; i < protectedModeLength; i++)
        {
            image[offset + i] = (byte)((i * 7) + 3);
        }

        return image;
    }

    private static void CheckRefusal(BootException e) =>
        InvariantViolation.Check(e.Message.Length > 0 && !e.Message.Contains('\n'), $"a refusal is one line: \"{e.Message}\"");

    /// <summary>One load's checks.</summary>
    private sealed class Placement(GuestMemory memory, KernelImage kernel, byte[] image, int protectedModeLength, ReadOnlyMemory<byte> initrd, string commandLine)
    {
        private readonly List<(string Name, ulong Start, ulong End)> _ranges = [];

        public void Check(LinuxBootInfo boot)
        {
            SetupHeader header = kernel.Header;
            byte[] zeroPage = new byte[BootParams.Size];
            memory.Read(boot.ZeroPage, zeroPage);
            var e820 = ReadE820(zeroPage);

            byte[] line = Encoding.UTF8.GetBytes(commandLine);
            ulong lineAddress = BinaryPrimitives.ReadUInt32LittleEndian(zeroPage.AsSpan(0x228)) | ((ulong)BinaryPrimitives.ReadUInt32LittleEndian(zeroPage.AsSpan(0xC8)) << 32);
            InvariantViolation.Check((ulong)line.Length <= header.CommandLineSize, $"a command line of {line.Length} bytes loaded for cmdline_size {header.CommandLineSize}");
            InvariantViolation.Check(!line.AsSpan().Contains((byte)0), "the command line holds a NUL: the kernel sees only what comes before it");
            InvariantViolation.Check(memory.GetSpan(lineAddress, line.Length).SequenceEqual(line) && memory.Read<byte>(lineAddress + (ulong)line.Length) == 0,
                "the command line in guest memory is not its bytes and a NUL");

            ulong initrdAddress = BinaryPrimitives.ReadUInt32LittleEndian(zeroPage.AsSpan(0x218)) | ((ulong)BinaryPrimitives.ReadUInt32LittleEndian(zeroPage.AsSpan(0xC0)) << 32);
            ulong initrdSize = BinaryPrimitives.ReadUInt32LittleEndian(zeroPage.AsSpan(0x21C)) | ((ulong)BinaryPrimitives.ReadUInt32LittleEndian(zeroPage.AsSpan(0xC4)) << 32);
            InvariantViolation.Check(initrdSize == (ulong)initrd.Length && (initrd.Length == 0 || initrdAddress == boot.InitrdAddress),
                $"the zero page's initrd 0x{initrdAddress:x}+{initrdSize} is not the one loaded");
            if (initrd.Length > 0)
            {
                InvariantViolation.Check(initrdAddress % 4096 == 0, $"initrd at 0x{initrdAddress:x} is not page-aligned");
                InvariantViolation.Check(initrdAddress + initrdSize - 1 <= header.InitrdAddressMax,
                    $"initrd 0x{initrdAddress:x}+{initrdSize} ends above initrd_addr_max 0x{header.InitrdAddressMax:x}");
                InvariantViolation.Check(memory.GetSpan(initrdAddress, initrd.Length).SequenceEqual(initrd.Span), "the initrd in guest memory is not its bytes");
                Add("initrd", initrdAddress, initrdSize);
            }

            InvariantViolation.Check(boot.EntryPoint == MemoryLayout.KernelLoadAddress + 0x200, $"entry point 0x{boot.EntryPoint:x}");
            InvariantViolation.Check(memory.GetSpan(MemoryLayout.KernelLoadAddress, protectedModeLength).SequenceEqual(image.AsSpan(kernel.ProtectedModeOffset)),
                "the protected-mode kernel at 1 MiB is not the file's");
            InvariantViolation.Check(zeroPage.AsSpan(SetupHeader.Offset, 0x1F).SequenceEqual(image.AsSpan(SetupHeader.Offset, 0x1F)) &&
                zeroPage.AsSpan(0x22C, header.Length - (0x22C - SetupHeader.Offset)).SequenceEqual(image.AsSpan(0x22C, header.Length - (0x22C - SetupHeader.Offset))),
                "the zero page does not carry the kernel's setup header");

            Add("zero page", boot.ZeroPage, BootParams.Size);
            Add("command line", lineAddress, (ulong)line.Length + 1);
            Add("kernel", MemoryLayout.KernelLoadAddress, (ulong)protectedModeLength);
            Add("GDT and IDT", MemoryLayout.GdtAddress, MemoryLayout.IdtAddress + 8 - MemoryLayout.GdtAddress);
            Add("page tables", MemoryLayout.Pml4Address, MemoryLayout.PageDirectoryAddress + 0x4000 - MemoryLayout.Pml4Address);
            (ulong runtimeStart, bool known) = RuntimeStart(header);
            InvariantViolation.Check(known, $"a kernel loaded whose runtime start address cannot be had (pref_address 0x{header.PreferredAddress:x}, kernel_alignment 0x{header.KernelAlignment:x})");
            Add("decompression area", runtimeStart, Math.Max(header.InitSize, 1u));
            foreach (var range in _ranges)
            {
                InvariantViolation.Check(range.End <= memory.Regions[0].End && e820.Any(e => e.Type == E820Type.Ram && e.Address <= range.Start && range.End <= e.Address + e.Size),
                    $"the {range.Name} 0x{range.Start:x}..0x{range.End:x} is not in RAM of the e820 map");
            }

            Add("ACPI tables", MemoryLayout.AcpiTablesAddress, MemoryLayout.AcpiTablesEnd - MemoryLayout.AcpiTablesAddress);
            InvariantViolation.Check(e820.Any(e => e.Type != E820Type.Ram && e.Address <= MemoryLayout.AcpiTablesAddress && MemoryLayout.AcpiTablesEnd <= e.Address + e.Size),
                "the ACPI tables are not in a reserved e820 entry");
            for (int i = 0; i < _ranges.Count; i++)
            {
                for (int j = i + 1; j < _ranges.Count; j++)
                {
                    var (a, b) = (_ranges[i], _ranges[j]);
                    bool mayOverlap = (a.Name, b.Name) is ("kernel", "decompression area");
                    InvariantViolation.Check(mayOverlap || a.End <= b.Start || b.End <= a.Start,
                        $"the {a.Name} 0x{a.Start:x}..0x{a.End:x} overlaps the {b.Name} 0x{b.Start:x}..0x{b.End:x}");
                }
            }

            CheckE820(e820);
            InvariantViolation.Check(memory.GetSpan(MemoryLayout.AcpiTablesAddress, s_acpi!.Length).SequenceEqual(s_acpi), "the load changed the ACPI tables");
            InvariantViolation.Check(memory.GetSpan(MemoryLayout.GdtAddress, 0x40).SequenceEqual(s_tables.AsSpan((int)MemoryLayout.GdtAddress, 0x40)) &&
                memory.GetSpan(MemoryLayout.Pml4Address, 0x6000).SequenceEqual(s_tables.AsSpan((int)MemoryLayout.Pml4Address, 0x6000)),
                "the load changed the GDT, IDT or page tables");
        }

        /// <summary>
        /// boot.rst, init_size: a relocatable kernel runs at its load address raised to pref_address and aligned up
        /// to kernel_alignment; any other at pref_address. False when that address is not a number a loader can use.
        /// </summary>
        private static (ulong Start, bool Known) RuntimeStart(SetupHeader header)
        {
            if (!header.Relocatable)
            {
                return (header.PreferredAddress, true);
            }

            UInt128 start = Math.Max(MemoryLayout.KernelLoadAddress, header.PreferredAddress);
            UInt128 alignment = Math.Max(header.KernelAlignment, 1u);
            start = (start + alignment - 1) / alignment * alignment;
            return start > ulong.MaxValue ? (0, false) : ((ulong)start, true);
        }

        private void Add(string name, ulong start, ulong length)
        {
            InvariantViolation.Check(start <= ulong.MaxValue - length, $"the {name} at 0x{start:x} (+{length}) wraps around");
            _ranges.Add((name, start, start + length));
        }

        private void CheckE820(List<E820Entry> e820)
        {
            var sorted = e820.OrderBy(e => e.Address).ToList();
            for (int i = 0; i < sorted.Count; i++)
            {
                E820Entry e = sorted[i];
                InvariantViolation.Check(e.Size > 0 && (i == 0 || sorted[i - 1].Address + sorted[i - 1].Size <= e.Address), $"e820 entry 0x{e.Address:x}+{e.Size} is empty or overlaps the one before");
                InvariantViolation.Check(e.Type != E820Type.Ram || memory.IsValid(e.Address, e.Size), $"e820 RAM 0x{e.Address:x}+{e.Size} is not guest memory");
            }

            ulong ram = e820.Where(e => e.Type == E820Type.Ram).Aggregate(0UL, (sum, e) => sum + e.Size);
            InvariantViolation.Check(ram <= memory.Size, $"the e820 map reports {ram} bytes of RAM in a {memory.Size}-byte guest");
        }

        private static List<E820Entry> ReadE820(ReadOnlySpan<byte> zeroPage)
        {
            var entries = new List<E820Entry>();
            for (int i = 0; i < zeroPage[0x1E8]; i++)
            {
                ReadOnlySpan<byte> entry = zeroPage.Slice(0x2D0 + (i * E820Entry.SizeInZeroPage), E820Entry.SizeInZeroPage);
                entries.Add(new E820Entry(BinaryPrimitives.ReadUInt64LittleEndian(entry), BinaryPrimitives.ReadUInt64LittleEndian(entry[8..]),
                    (E820Type)BinaryPrimitives.ReadUInt32LittleEndian(entry[16..])));
            }

            return entries;
        }
    }
}
