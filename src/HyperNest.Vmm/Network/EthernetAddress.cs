using System.Buffers.Binary;
using System.Globalization;

namespace HyperNest.Vmm.Network;

/// <summary>
/// A 48-bit MAC address held in the low bits of a <see cref="ulong"/>, first octet highest: compared in one
/// instruction and kept in tables without an allocation per frame.
/// </summary>
internal static class EthernetAddress
{
    public const int Length = 6;

    /// <summary>The I/G bit, the least significant bit of the first octet (IEEE 802-2014 §8.2): set for group addresses.</summary>
    private const ulong GroupBit = 1UL << 40;

    public static ulong Read(ReadOnlySpan<byte> bytes) =>
        ((ulong)BinaryPrimitives.ReadUInt16BigEndian(bytes) << 32) | BinaryPrimitives.ReadUInt32BigEndian(bytes[2..]);

    /// <summary>Multicast or broadcast: never the source of a frame (IEEE 802.3 §3.2.3).</summary>
    public static bool IsGroup(ulong address) => (address & GroupBit) != 0;

    /// <summary>An address a station can own and send from: not a group address, not all zeros.</summary>
    public static bool IsUnicast(ulong address) => address != 0 && !IsGroup(address);

    /// <summary>Hyper-V's form: 12 upper-case hex digits without separators (00155D0A1B2C).</summary>
    public static string Format(ulong address) => address.ToString("X12", CultureInfo.InvariantCulture);
}
