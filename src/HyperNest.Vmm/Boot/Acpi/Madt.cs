using System.Buffers.Binary;

namespace HyperNest.Vmm.Boot.Acpi;

/// <summary>
/// The Multiple APIC Description Table (ACPI 6.5 §5.2.12): one Processor Local APIC per vCPU, the IOAPIC, and
/// the ISA interrupt source overrides. Linux starts the application processors by INIT/SIPI to the APIC IDs
/// listed here; KVM gives each vCPU the APIC ID of its vCPU index, so vCPU <c>i</c> is APIC ID and UID <c>i</c>.
/// </summary>
internal static class Madt
{
    /// <summary>xAPIC IDs are eight bits and 0xFF is the broadcast ID, so IDs 0–254 (more would need x2APIC entries).</summary>
    public const int MaxLocalApics = 255;

    /// <summary>KVM's in-kernel IOAPIC resets its ID register to 0; the MADT says the same.</summary>
    public const byte IoapicId = 0;

    /// <summary>The IRQ0 timer override: the PIT's output is wired to IOAPIC pin 2, as on every PC since the AT.</summary>
    public const byte TimerIrq = 0;
    public const uint TimerGsi = 2;

    private const byte Revision = 5;
    private const int LocalApicAddressOffset = 36;
    private const int FlagsOffset = 40;
    private const int EntriesOffset = 44;

    /// <summary>Dual 8259s are present (the KVM irqchip's PIC); the OS must mask them to use the APICs (§5.2.12).</summary>
    private const uint PcAtCompatible = 1 << 0;

    // Interrupt controller structures (§5.2.12, Table 5.21) and their lengths.
    private const byte ProcessorLocalApic = 0;
    private const byte IoApic = 1;
    private const byte InterruptSourceOverride = 2;
    private const int ProcessorLocalApicLength = 8;
    private const int IoApicLength = 12;
    private const int InterruptSourceOverrideLength = 10;

    private const uint LocalApicEnabled = 1 << 0;
    private const byte IsaBus = 0;

    /// <summary>MPS INTI flags (Table 5.26): bus-conforming (edge, active high for ISA).</summary>
    private const ushort ConformingFlags = 0;

    /// <summary>MPS INTI flags: active high (bits 1:0 = 01), level triggered (bits 3:2 = 11), as the KVM IOAPIC asserts.</summary>
    private const ushort ActiveHighLevelFlags = 0b1101;

    public static int SizeFor(int vcpuCount) =>
        EntriesOffset + (vcpuCount * ProcessorLocalApicLength) + IoApicLength + (2 * InterruptSourceOverrideLength);

    public static byte[] Build(int vcpuCount, ulong localApicAddress, ulong ioapicAddress, byte sciIrq)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(vcpuCount);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(vcpuCount, MaxLocalApics);

        var madt = new byte[SizeFor(vcpuCount)];
        Span<byte> table = madt;
        BinaryPrimitives.WriteUInt32LittleEndian(table[LocalApicAddressOffset..], checked((uint)localApicAddress));
        BinaryPrimitives.WriteUInt32LittleEndian(table[FlagsOffset..], PcAtCompatible);

        int offset = EntriesOffset;
        for (int vcpu = 0; vcpu < vcpuCount; vcpu++)
        {
            Span<byte> entry = Entry(table, ref offset, ProcessorLocalApic, ProcessorLocalApicLength);
            entry[2] = (byte)vcpu; // ACPI Processor UID
            entry[3] = (byte)vcpu; // APIC ID
            BinaryPrimitives.WriteUInt32LittleEndian(entry[4..], LocalApicEnabled);
        }

        Span<byte> ioapic = Entry(table, ref offset, IoApic, IoApicLength);
        ioapic[2] = IoapicId;
        BinaryPrimitives.WriteUInt32LittleEndian(ioapic[4..], checked((uint)ioapicAddress));
        BinaryPrimitives.WriteUInt32LittleEndian(ioapic[8..], 0); // the IOAPIC's first pin is GSI 0

        WriteOverride(Entry(table, ref offset, InterruptSourceOverride, InterruptSourceOverrideLength), TimerIrq, TimerGsi, ConformingFlags);
        WriteOverride(Entry(table, ref offset, InterruptSourceOverride, InterruptSourceOverrideLength), sciIrq, sciIrq, ActiveHighLevelFlags);

        AcpiTableHeader.Seal(table, "APIC"u8, Revision);
        return madt;
    }

    /// <summary>Claims the next <paramref name="length"/> bytes for an entry and writes its type and length.</summary>
    private static Span<byte> Entry(Span<byte> table, ref int offset, byte type, int length)
    {
        Span<byte> entry = table.Slice(offset, length);
        entry[0] = type;
        entry[1] = (byte)length;
        offset += length;
        return entry;
    }

    private static void WriteOverride(Span<byte> entry, byte sourceIrq, uint gsi, ushort flags)
    {
        entry[2] = IsaBus;
        entry[3] = sourceIrq;
        BinaryPrimitives.WriteUInt32LittleEndian(entry[4..], gsi);
        BinaryPrimitives.WriteUInt16LittleEndian(entry[8..], flags);
    }
}
