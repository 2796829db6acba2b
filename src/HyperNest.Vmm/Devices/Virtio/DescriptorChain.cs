using HyperNest.Vmm.Memory;

namespace HyperNest.Vmm.Devices.Virtio;

/// <summary>
/// One request popped from a <see cref="VirtQueue"/>: its device-readable buffers, then its device-writable ones
/// (virtio 1.2 §2.7.5.2), each range-checked. Devices treat each direction as one byte stream and make no
/// assumption about how the driver split it into descriptors (§2.7.4, "Message Framing"). A ref struct: the buffer
/// lists are the queue's scratch space and are only valid until the next pop.
/// </summary>
public readonly ref struct DescriptorChain
{
    private readonly GuestMemory _memory;

    internal DescriptorChain(
        GuestMemory memory, ushort headIndex, ReadOnlySpan<GuestBuffer> readable, ReadOnlySpan<GuestBuffer> writable, ChainError error)
    {
        _memory = memory;
        HeadIndex = headIndex;
        Readable = readable;
        Writable = writable;
        Error = error;
        ReadableLength = TotalLength(readable);
        WritableLength = TotalLength(writable);
    }

    /// <summary>The descriptor index the driver made available; what goes back in the used ring.</summary>
    public ushort HeadIndex { get; }

    /// <summary>None for a chain a device may use. Otherwise the buffer lists hold what was read before the error.</summary>
    public ChainError Error { get; }

    public ReadOnlySpan<GuestBuffer> Readable { get; }

    public ReadOnlySpan<GuestBuffer> Writable { get; }

    public long ReadableLength { get; }

    public long WritableLength { get; }

    /// <summary>
    /// The last device-writable byte, where virtio-blk (and scsi, crypto) put a request's status. Reachable when the
    /// chain's shape is intact, even if a data buffer in it is not guest RAM, so such a request can still be failed
    /// with a status. False when the chain is broken, has no writable bytes, or ends in an empty buffer.
    /// </summary>
    public bool TryGetLastWritableByte(out Span<byte> lastByte)
    {
        lastByte = default;
        bool shapeIntact = Error is ChainError.None or ChainError.BufferOutsideGuestMemory;
        if (!shapeIntact || Writable.IsEmpty)
        {
            return false;
        }

        GuestBuffer last = Writable[^1];
        return last.Length > 0 && _memory.TryGetSpan(last.Address + last.Length - 1, 1, out lastByte);
    }

    public GuestSpans ReadableSpans(long offset, long length) => new(_memory, Readable, offset, length);

    public GuestSpans WritableSpans(long offset, long length) => new(_memory, Writable, offset, length);

    /// <summary>Gathers readable bytes from <paramref name="offset"/> on; returns how many were copied.</summary>
    public int CopyFromReadable(long offset, Span<byte> destination)
    {
        int copied = 0;
        foreach (Span<byte> piece in ReadableSpans(offset, destination.Length))
        {
            piece.CopyTo(destination[copied..]);
            copied += piece.Length;
        }

        return copied;
    }

    /// <summary>Scatters <paramref name="source"/> into the writable bytes from <paramref name="offset"/> on.</summary>
    public int CopyToWritable(long offset, ReadOnlySpan<byte> source)
    {
        int copied = 0;
        foreach (Span<byte> piece in WritableSpans(offset, source.Length))
        {
            source.Slice(copied, piece.Length).CopyTo(piece);
            copied += piece.Length;
        }

        return copied;
    }

    private static long TotalLength(ReadOnlySpan<GuestBuffer> buffers)
    {
        long total = 0;
        foreach (GuestBuffer buffer in buffers)
        {
            total += buffer.Length;
        }

        return total;
    }
}
