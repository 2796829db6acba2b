namespace HyperNest.Vmm.Network;

/// <summary>
/// A packet as a port sees it: the bytes captured in the frame head, which may stop short, and the length it has on
/// the wire (pcap's captured and original lengths). Length fields are checked against <see cref="Length"/>, reads
/// against <see cref="Captured"/>.
/// </summary>
internal readonly ref struct PacketBytes(ReadOnlySpan<byte> captured, long length)
{
    /// <summary>A packet captured whole.</summary>
    public PacketBytes(ReadOnlySpan<byte> whole)
        : this(whole, whole.Length)
    {
    }

    public ReadOnlySpan<byte> Captured { get; } = captured;

    public long Length { get; } = length;

    /// <summary>
    /// The <paramref name="length"/> bytes from <paramref name="offset"/> on, as far as they were captured. The caller
    /// has checked that the header before <paramref name="offset"/> was captured and the range lies within
    /// <see cref="Length"/>.
    /// </summary>
    public PacketBytes Slice(int offset, long length) =>
        new(Captured[offset..(int)Math.Min(offset + length, Captured.Length)], length);
}
