using System.Buffers.Binary;
using HyperNest.Vmm.Network;

namespace HyperNest.Vmm.Tests.Network;

/// <summary>
/// A DHCP message to put on the wire: RFC 2131 §2's fixed fields, RFC 2132's magic cookie, option 53 and, when given,
/// option 50, then <see cref="MoreOptions"/> and the end option.
/// </summary>
internal sealed record Dhcp
{
    public byte Operation { get; init; } = 1;
    public required DhcpMessageType Type { get; init; }
    public required byte[] ClientMac { get; init; }
    public uint TransactionId { get; init; } = 0x3903F326;
    public string ClientAddress { get; init; } = "0.0.0.0";
    public string YourAddress { get; init; } = "0.0.0.0";
    public string? RequestedAddress { get; init; }
    public byte[] MoreOptions { get; init; } = [];

    public static Dhcp Request(string requested, byte[]? clientMac = null) =>
        new() { Type = DhcpMessageType.Request, ClientMac = clientMac ?? Packets.GuestMac, RequestedAddress = requested };

    public static Dhcp Ack(string yours, byte[]? clientMac = null) =>
        new() { Operation = 2, Type = DhcpMessageType.Ack, ClientMac = clientMac ?? Packets.GuestMac, YourAddress = yours };

    public byte[] ToBytes()
    {
        byte[] fixedFields = new byte[236];
        fixedFields[0] = Operation;
        fixedFields[1] = 1;
        fixedFields[2] = 6;
        BinaryPrimitives.WriteUInt32BigEndian(fixedFields.AsSpan(4), TransactionId);
        Packets.Ip(ClientAddress).CopyTo(fixedFields, 12);
        Packets.Ip(YourAddress).CopyTo(fixedFields, 16);
        ClientMac.CopyTo(fixedFields, 28);
        byte[] requested = RequestedAddress is null ? [] : [50, 4, .. Packets.Ip(RequestedAddress)];
        return [.. fixedFields, 99, 130, 83, 99, 53, 1, (byte)Type, .. requested, .. MoreOptions, 255];
    }
}
