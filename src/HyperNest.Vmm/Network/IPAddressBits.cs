using System.Buffers.Binary;
using System.Net;

namespace HyperNest.Vmm.Network;

/// <summary>
/// IP addresses as a port's address table keys them: an IPv6 address as a <see cref="UInt128"/>, an IPv4 address as
/// its IPv4-mapped IPv6 form ::ffff:a.b.c.d (RFC 4291 §2.5.5.2). No address the port learns from IPv6 traffic is
/// IPv4-mapped, so one key type holds both without ambiguity, and a lookup allocates nothing.
/// </summary>
internal static class IPAddressBits
{
    private static readonly UInt128 Ipv4MappedPrefix = (UInt128)0xFFFF << 32;
    private static readonly UInt128 Ipv4MappedMask = ~(UInt128)uint.MaxValue;

    public static UInt128 FromIPv4(uint address) => Ipv4MappedPrefix | address;

    public static UInt128 FromIPv6(ReadOnlySpan<byte> address) => BinaryPrimitives.ReadUInt128BigEndian(address);

    /// <summary>
    /// An address a host can hold: not "this network" 0.0.0.0/8 (RFC 1122 §3.2.1.3), not loopback 127.0.0.0/8, not
    /// multicast 224.0.0.0/4, reserved 240.0.0.0/4 or the limited broadcast.
    /// </summary>
    public static bool IsLearnableIPv4(uint address) => address >> 24 is not (0 or 127) && address < 0xE000_0000;

    /// <summary>
    /// Link-local fe80::/10 (RFC 4291 §2.5.6), global unicast 2000::/3 or unique local fc00::/7 (RFC 4193): the
    /// addresses Hyper-V shows for an adapter. Not ::, ::1, multicast or IPv4-mapped.
    /// </summary>
    public static bool IsLearnableIPv6(UInt128 address)
    {
        var first16 = (ushort)(address >> 112);
        return (first16 & 0xFFC0) == 0xFE80 || (first16 & 0xE000) == 0x2000 || (first16 & 0xFE00) == 0xFC00;
    }

    public static IPAddress ToIPAddress(UInt128 address)
    {
        Span<byte> bytes = stackalloc byte[16];
        BinaryPrimitives.WriteUInt128BigEndian(bytes, address);
        return new IPAddress((address & Ipv4MappedMask) == Ipv4MappedPrefix ? bytes[12..] : bytes);
    }
}
