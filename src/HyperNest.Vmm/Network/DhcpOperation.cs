namespace HyperNest.Vmm.Network;

/// <summary>BOOTP's op field (RFC 2131 §2): which way a message goes.</summary>
internal enum DhcpOperation : byte
{
    BootRequest = 1,
    BootReply = 2,
}
