using HyperNest.Vmm.Network;

namespace HyperNest.Vmm.Tests.Network;

public sealed class DhcpMessageTests
{
    /// <summary>Where RFC 2131 §2 puts the options: after 236 bytes of fixed fields and the 4-byte magic cookie.</summary>
    private const int Options = 240;

    [Fact]
    public void Reads_A_Request_With_Its_Requested_Address_And_Server_Identifier()
    {
        byte[] bytes = (Dhcp.Request("10.0.0.5") with { TransactionId = 0xCAFE, MoreOptions = [54, 4, 10, 0, 0, 1] }).ToBytes();

        Assert.True(DhcpMessage.TryParse(bytes, out DhcpMessage message));

        Assert.Equal(DhcpOperation.BootRequest, message.Operation);
        Assert.Equal(DhcpMessageType.Request, message.MessageType);
        Assert.Equal(0xCAFEu, message.TransactionId);
        Assert.Equal(0x0015_5D0A_1B2CUL, message.ClientHardwareAddress);
        Assert.Equal(0x0A00_0005u, message.RequestedAddress);
        Assert.Equal(0x0A00_0001u, message.ServerIdentifier);
    }

    [Fact]
    public void Reads_The_Client_And_Your_Address_Fields()
    {
        byte[] bytes = (Dhcp.Ack("10.0.0.5") with { ClientAddress = "10.0.0.4" }).ToBytes();

        Assert.True(DhcpMessage.TryParse(bytes, out DhcpMessage message));

        Assert.Equal(DhcpOperation.BootReply, message.Operation);
        Assert.Equal(0x0A00_0004u, message.ClientAddress);
        Assert.Equal(0x0A00_0005u, message.YourAddress);
        Assert.Null(message.RequestedAddress);
    }

    [Fact]
    public void Steps_Over_Pad_Options_And_Options_It_Does_Not_Read()
    {
        byte[] bytes = (Dhcp.Request("10.0.0.5") with { MoreOptions = [0, 0, 12, 3, (byte)'v', (byte)'m', (byte)'1', 0, 54, 4, 10, 0, 0, 1] }).ToBytes();

        Assert.True(DhcpMessage.TryParse(bytes, out DhcpMessage message));

        Assert.Equal(0x0A00_0001u, message.ServerIdentifier);
    }

    [Fact]
    public void A_Message_Without_The_Magic_Cookie_Is_Plain_Bootp_And_Not_Read()
    {
        byte[] bytes = Dhcp.Request("10.0.0.5").ToBytes();
        bytes[Options - 1] = 0;

        Assert.False(DhcpMessage.TryParse(bytes, out _));
    }

    [Fact]
    public void A_Message_Without_A_Message_Type_Option_Is_Not_Read()
    {
        byte[] bytes = Dhcp.Request("10.0.0.5").ToBytes();
        bytes.AsSpan(Options, 3).Clear(); // option 53 becomes three pads

        Assert.False(DhcpMessage.TryParse(bytes, out _));
    }

    [Fact]
    public void An_Option_Running_Past_The_End_Is_Malformed()
    {
        byte[] bytes = [.. Dhcp.Request("10.0.0.5").ToBytes()[..^1], 12, 200, 1, 2];

        Assert.False(DhcpMessage.TryParse(bytes, out _));
    }

    [Fact]
    public void Options_Without_The_End_Option_Are_Cut_Short_And_Not_Read()
    {
        Assert.False(DhcpMessage.TryParse(Dhcp.Request("10.0.0.5").ToBytes()[..^1], out _));
    }

    [Fact]
    public void An_Option_Code_Without_Its_Length_Is_Cut_Short_And_Not_Read()
    {
        Assert.False(DhcpMessage.TryParse([.. Dhcp.Request("10.0.0.5").ToBytes()[..^1], 12], out _));
    }

    [Theory]
    [InlineData(new byte[] { 53, 2, 3, 3 })] // the message type is one byte
    [InlineData(new byte[] { 50, 3, 10, 0, 0 })] // the requested address is four
    [InlineData(new byte[] { 54, 5, 10, 0, 0, 1, 0 })] // the server identifier is four
    [InlineData(new byte[] { 53, 1, 5 })] // a second message type
    public void An_Option_It_Reads_With_A_Wrong_Length_Or_Twice_Is_Malformed(byte[] option)
    {
        byte[] bytes = (Dhcp.Request("10.0.0.4") with { MoreOptions = option }).ToBytes();

        Assert.False(DhcpMessage.TryParse(bytes, out _));
    }

    [Theory]
    [InlineData(1, 6)] // hardware type: IEEE 802, not Ethernet
    [InlineData(2, 16)] // hardware address length: not 6
    [InlineData(0, 3)] // op: neither BOOTREQUEST nor BOOTREPLY
    public void A_Message_For_Anything_But_Ethernet_Requests_And_Replies_Is_Not_Read(int offset, byte value)
    {
        byte[] bytes = Dhcp.Request("10.0.0.5").ToBytes();
        bytes[offset] = value;

        Assert.False(DhcpMessage.TryParse(bytes, out _));
    }

    [Fact]
    public void A_Message_Shorter_Than_Its_Fixed_Fields_And_Cookie_Is_Not_Read()
    {
        Assert.False(DhcpMessage.TryParse(Dhcp.Request("10.0.0.5").ToBytes()[..(Options - 1)], out _));
    }
}
