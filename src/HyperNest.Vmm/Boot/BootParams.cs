using System.Buffers.Binary;

namespace HyperNest.Vmm.Boot;

/// <summary>
/// The zero page, struct boot_params (arch/x86/include/uapi/asm/bootparam.h; boot.rst, "Details of header
/// fields" and "64-bit Boot Protocol"): one 4 KiB page the loader fills and passes to the kernel in RSI.
/// </summary>
public sealed class BootParams
{
    public const int Size = 4096;
    public const int MaxE820Entries = 128;

    // Offsets in struct boot_params.
    private const int AcpiRsdpAddr = 0x070;
    private const int ExtRamdiskImage = 0x0C0;
    private const int ExtRamdiskSize = 0x0C4;
    private const int ExtCmdLinePtr = 0x0C8;
    private const int E820EntriesCount = 0x1E8;
    private const int TypeOfLoader = 0x210;
    private const int LoadFlags = 0x211;
    private const int RamdiskImage = 0x218;
    private const int RamdiskSize = 0x21C;
    private const int HeapEndPtr = 0x224;
    private const int CmdLinePtr = 0x228;
    private const int E820Table = 0x2D0;

    /// <summary>boot.rst: 0xFF = "undefined" boot loader type, for loaders without an assigned id.</summary>
    private const byte UndefinedLoader = 0xFF;

    private readonly byte[] _page = new byte[Size];

    /// <summary>Starts from the kernel's own setup header, as the protocol asks.</summary>
    public BootParams(KernelImage kernel)
    {
        kernel.SetupHeaderBytes.CopyTo(_page.AsSpan(SetupHeader.Offset));
        _page[TypeOfLoader] = UndefinedLoader;
        _page[LoadFlags] |= SetupHeader.CanUseHeap;
        // With CAN_USE_HEAP: the end of the setup stack/heap, relative to the real-mode code (unused in 64-bit boot).
        BinaryPrimitives.WriteUInt16LittleEndian(_page.AsSpan(HeapEndPtr), 0xFE00);
    }

    public ReadOnlySpan<byte> Bytes => _page;

    public void SetCommandLine(ulong address) => SplitAddress(address, CmdLinePtr, ExtCmdLinePtr);

    public void SetInitrd(ulong address, ulong size)
    {
        SplitAddress(address, RamdiskImage, ExtRamdiskImage);
        SplitAddress(size, RamdiskSize, ExtRamdiskSize);
    }

    public void SetAcpiRsdp(ulong address) => BinaryPrimitives.WriteUInt64LittleEndian(_page.AsSpan(AcpiRsdpAddr), address);

    public void SetE820(IReadOnlyList<E820Entry> entries)
    {
        if (entries.Count > MaxE820Entries)
        {
            throw new BootException($"memory map has {entries.Count} entries, the zero page holds {MaxE820Entries}");
        }

        _page[E820EntriesCount] = (byte)entries.Count;
        for (int i = 0; i < entries.Count; i++)
        {
            Span<byte> entry = _page.AsSpan(E820Table + (i * E820Entry.SizeInZeroPage), E820Entry.SizeInZeroPage);
            BinaryPrimitives.WriteUInt64LittleEndian(entry, entries[i].Address);
            BinaryPrimitives.WriteUInt64LittleEndian(entry[8..], entries[i].Size);
            BinaryPrimitives.WriteUInt32LittleEndian(entry[16..], (uint)entries[i].Type);
        }
    }

    /// <summary>The low 32 bits go in the classic field, the high 32 in its ext_ twin (protocol 2.12+).</summary>
    private void SplitAddress(ulong value, int lowOffset, int highOffset)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(_page.AsSpan(lowOffset), (uint)value);
        BinaryPrimitives.WriteUInt32LittleEndian(_page.AsSpan(highOffset), (uint)(value >> 32));
    }
}
