using System.Buffers;

namespace HyperNest.Kvm;

/// <summary>
/// Exposes (the first <c>length</c> bytes of) an <see cref="AnonymousMemory"/> as <see cref="Memory{T}"/>, so a large
/// transient buffer — a kernel or initrd on its way into guest RAM — lives outside the GC heap and goes back to the
/// host the moment it is disposed.
/// </summary>
public sealed unsafe class AnonymousMemoryManager : MemoryManager<byte>
{
    private readonly AnonymousMemory _memory;
    private readonly int _length;

    public AnonymousMemoryManager(AnonymousMemory memory, int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ArgumentOutOfRangeException.ThrowIfGreaterThan((ulong)length, memory.Length);
        _memory = memory;
        _length = length;
    }

    public override Span<byte> GetSpan() => new(_memory.Pointer, _length);

    public override MemoryHandle Pin(int elementIndex = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(elementIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(elementIndex, _length);
        return new MemoryHandle(_memory.Pointer + elementIndex);
    }

    public override void Unpin()
    {
    }

    protected override void Dispose(bool disposing) => _memory.Dispose();
}
