using HyperNest.Vmm.Memory;

namespace HyperNest.Vmm.Devices.Virtio;

/// <summary>
/// The guest-RAM spans that make up bytes [offset, offset + length) of a scatter-gather list, in order, without
/// copying or allocating: <c>foreach (Span&lt;byte&gt; piece in chain.WritableSpans(0, n))</c>. The buffers must
/// be guest RAM (a chain whose <see cref="DescriptorChain.Error"/> is None); otherwise enumeration throws
/// <see cref="GuestMemoryException"/>.
/// </summary>
public ref struct GuestSpans
{
    private readonly GuestMemory _memory;
    private readonly ReadOnlySpan<GuestBuffer> _buffers;
    private int _next;
    private long _skip;
    private long _remaining;

    internal GuestSpans(GuestMemory memory, ReadOnlySpan<GuestBuffer> buffers, long offset, long length)
    {
        _memory = memory;
        _buffers = buffers;
        _skip = Math.Max(offset, 0);
        _remaining = Math.Max(length, 0);
    }

    public Span<byte> Current { get; private set; }

    public readonly GuestSpans GetEnumerator() => this;

    public bool MoveNext()
    {
        while (_remaining > 0 && _next < _buffers.Length)
        {
            GuestBuffer buffer = _buffers[_next++];
            if (_skip >= buffer.Length)
            {
                _skip -= buffer.Length;
                continue;
            }

            int take = (int)Math.Min(buffer.Length - _skip, _remaining);
            Current = _memory.GetSpan(buffer.Address + (ulong)_skip, take);
            _skip = 0;
            _remaining -= take;
            return true;
        }

        return false;
    }
}
