using System.Buffers.Binary;
using System.Text;
using HyperNest.Vmm.Memory;

namespace HyperNest.Vmm.Tests.Boot.Acpi;

/// <summary>
/// Reads ACPI tables back out of guest memory the way an OS does (RSDP → XSDT → tables), by the spec's offsets and
/// independently of the builder, so the tests check the layout and not the builder against itself.
/// </summary>
internal sealed class AcpiImage
{
    private readonly GuestMemory _memory;

    public AcpiImage(GuestMemory memory, ulong rsdpAddress)
    {
        _memory = memory;
        RsdpAddress = rsdpAddress;
        Rsdp = Bytes(rsdpAddress, 36);
        XsdtAddress = BinaryPrimitives.ReadUInt64LittleEndian(Rsdp.AsSpan(24));
        Xsdt = Table(XsdtAddress);
        TableAddresses = [.. Enumerable.Range(0, (Xsdt.Length - 36) / 8)
            .Select(i => BinaryPrimitives.ReadUInt64LittleEndian(Xsdt.AsSpan(36 + (i * 8))))];
    }

    public ulong RsdpAddress { get; }

    public byte[] Rsdp { get; }

    public ulong XsdtAddress { get; }

    public byte[] Xsdt { get; }

    public IReadOnlyList<ulong> TableAddresses { get; }

    public byte[] Fadt => Table(AddressOf("FACP"));

    public byte[] Madt => Table(AddressOf("APIC"));

    public ulong DsdtAddress => BinaryPrimitives.ReadUInt64LittleEndian(Fadt.AsSpan(140));

    public byte[] Dsdt => Table(DsdtAddress);

    /// <summary>Every table reachable from the RSDP: XSDT, what it lists, and the DSDT.</summary>
    public IEnumerable<(ulong Address, byte[] Table)> AllTables =>
        new[] { XsdtAddress }.Concat(TableAddresses).Append(DsdtAddress).Select(address => (address, Table(address)));

    public static string Signature(byte[] table) => Encoding.ASCII.GetString(table, 0, 4);

    public static byte Sum(ReadOnlySpan<byte> bytes)
    {
        byte sum = 0;
        foreach (byte b in bytes)
        {
            sum += b;
        }

        return sum;
    }

    public ulong AddressOf(string signature) => TableAddresses.Single(address => Signature(Table(address)) == signature);

    /// <summary>A table, as long as its header's Length says.</summary>
    public byte[] Table(ulong address) => Bytes(address, (int)_memory.Read<uint>(address + 4));

    /// <summary>The MADT's interrupt controller structures as (type, body including type and length).</summary>
    public IReadOnlyList<byte[]> MadtEntries()
    {
        byte[] madt = Madt;
        var entries = new List<byte[]>();
        for (int offset = 44; offset < madt.Length; offset += madt[offset + 1])
        {
            Assert.True(madt[offset + 1] >= 2, $"MADT entry at {offset} has length {madt[offset + 1]}");
            entries.Add(madt[offset..(offset + madt[offset + 1])]);
        }

        return entries;
    }

    private byte[] Bytes(ulong address, int length)
    {
        var bytes = new byte[length];
        _memory.Read(address, bytes);
        return bytes;
    }
}
