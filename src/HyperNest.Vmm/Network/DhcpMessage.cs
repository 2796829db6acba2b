using System.Buffers.Binary;

namespace HyperNest.Vmm.Network;

/// <summary>
/// The fields of a DHCP message a switch port learns from. RFC 2131 §2 (Figure 1) fixes the layout: op (0), htype
/// (1), hlen (2), xid (4–7), ciaddr (12–15), yiaddr (16–19), chaddr (28–43, of which hlen bytes count); options begin
/// at 236 with the magic cookie 99.130.83.99 (RFC 2132 §2). Each option is a code, a length and that many bytes,
/// except pad (0) and end (255) which are one byte. The options read are the message type (53, §9.6), the requested
/// address (50, §9.1) and the server identifier (54, §9.7). Options carried in sname and file (overload, 52, §9.3)
/// are not read: no client puts its message type there in practice.
/// </summary>
/// <remarks>
/// Strict, because the guest writes these bytes: options must end with the end option inside the bytes given, and
/// an option this reads must have its RFC length and appear once. Anything else is not a message.
/// </remarks>
internal readonly struct DhcpMessage
{
    private const int OptionsOffset = 240;
    private const uint MagicCookie = 0x63825363;
    private const byte EthernetHardware = 1;

    private const byte PadOption = 0;
    private const byte RequestedAddressOption = 50;
    private const byte MessageTypeOption = 53;
    private const byte ServerIdentifierOption = 54;
    private const byte EndOption = 255;

    public DhcpOperation Operation { get; private init; }

    public uint TransactionId { get; private init; }

    /// <summary>ciaddr: the address a client already has, when it renews or releases it.</summary>
    public uint ClientAddress { get; private init; }

    /// <summary>yiaddr: the address a server gives.</summary>
    public uint YourAddress { get; private init; }

    /// <summary>chaddr: the MAC of the client the message is from or for.</summary>
    public ulong ClientHardwareAddress { get; private init; }

    public DhcpMessageType MessageType { get; private init; }

    /// <summary>Option 50: the address a client asks for while selecting or rebooting.</summary>
    public uint? RequestedAddress { get; private init; }

    /// <summary>Option 54: the server a client answers, or that answers.</summary>
    public uint? ServerIdentifier { get; private init; }

    /// <param name="bytes">The UDP payload, from op on.</param>
    /// <param name="message">The message's fields, when this returns true.</param>
    public static bool TryParse(ReadOnlySpan<byte> bytes, out DhcpMessage message)
    {
        message = default;
        if (bytes.Length < OptionsOffset
            || bytes[0] is not ((byte)DhcpOperation.BootRequest or (byte)DhcpOperation.BootReply)
            || bytes[1] != EthernetHardware
            || bytes[2] != EthernetAddress.Length
            || BinaryPrimitives.ReadUInt32BigEndian(bytes[236..]) != MagicCookie)
        {
            return false;
        }

        var fields = new DhcpMessage
        {
            Operation = (DhcpOperation)bytes[0],
            TransactionId = BinaryPrimitives.ReadUInt32BigEndian(bytes[4..]),
            ClientAddress = BinaryPrimitives.ReadUInt32BigEndian(bytes[12..]),
            YourAddress = BinaryPrimitives.ReadUInt32BigEndian(bytes[16..]),
            ClientHardwareAddress = EthernetAddress.Read(bytes[28..]),
        };
        if (!TryReadOptions(bytes[OptionsOffset..], ref fields) || fields.MessageType == 0)
        {
            return false;
        }

        message = fields;
        return true;
    }

    private static bool TryReadOptions(ReadOnlySpan<byte> options, ref DhcpMessage message)
    {
        int offset = 0;
        while (offset < options.Length)
        {
            byte code = options[offset];
            if (code == EndOption)
            {
                return true;
            }

            if (code == PadOption)
            {
                offset++;
                continue;
            }

            if (offset + 2 > options.Length || offset + 2 + options[offset + 1] > options.Length)
            {
                return false;
            }

            ReadOnlySpan<byte> value = options.Slice(offset + 2, options[offset + 1]);
            if (!TryReadOption(code, value, ref message))
            {
                return false;
            }

            offset += 2 + value.Length;
        }

        return false;
    }

    private static bool TryReadOption(byte code, ReadOnlySpan<byte> value, ref DhcpMessage message)
    {
        switch (code)
        {
            case MessageTypeOption when value.Length == 1 && message.MessageType == 0:
                message = message with { MessageType = (DhcpMessageType)value[0] };
                return true;
            case RequestedAddressOption when value.Length == sizeof(uint) && message.RequestedAddress is null:
                message = message with { RequestedAddress = BinaryPrimitives.ReadUInt32BigEndian(value) };
                return true;
            case ServerIdentifierOption when value.Length == sizeof(uint) && message.ServerIdentifier is null:
                message = message with { ServerIdentifier = BinaryPrimitives.ReadUInt32BigEndian(value) };
                return true;
            case MessageTypeOption or RequestedAddressOption or ServerIdentifierOption:
                return false;
            default:
                return true;
        }
    }
}
