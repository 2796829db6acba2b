namespace HyperNest.Vmm.Network;

/// <summary>Stub of the port branch's SwitchPort (same API): it allows everything and counts nothing.</summary>
public sealed class SwitchPort
{
    public SwitchPort(ReadOnlySpan<byte> macAddress, bool macAddressSpoofing)
    {
        if (macAddress.Length != 6)
        {
            throw new ArgumentException("a MAC address is 6 bytes", nameof(macAddress));
        }

        MacAddressSpoofing = macAddressSpoofing;
    }

    public bool MacAddressSpoofing { get; set; }

    /// <summary>frameHead: the Ethernet frame from its destination MAC (no virtio header), at least min(frameLength, 512) bytes of it.</summary>
    public bool AllowTransmit(ReadOnlySpan<byte> frameHead, long frameLength) => true;

    public void ObserveReceive(ReadOnlySpan<byte> frameHead, long frameLength)
    {
    }
}
