using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace HyperNest.Kvm;

/// <summary>
/// A gather list for one writev(2): up to <see cref="Capacity"/> byte ranges, written as one frame or record without
/// first copying them together. It keeps addresses, not spans, so every range must be memory that does not move
/// while the list lives: guest RAM, other native memory, or the stack. A span of a managed array does not qualify.
/// A ref struct, so it cannot outlive the call that builds it.
/// </summary>
public unsafe ref struct IoVectors
{
    /// <summary>How many ranges one list holds; a virtio-net frame from Linux has at most MAX_SKB_FRAGS + 2.</summary>
    public const int Capacity = 64;

    private Vectors _vectors;

    public IoVectors()
    {
    }

    public int Count { readonly get; private set; }

    /// <summary>The sum of the ranges' lengths, in bytes.</summary>
    public readonly long Length => SumLengths();

    /// <summary>The range at <paramref name="index"/>.</summary>
    public readonly ReadOnlySpan<byte> this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)Count, nameof(index));
            Interop.IoVec vector = _vectors[index];
            return new ReadOnlySpan<byte>(vector.Base, (int)vector.Length);
        }
    }

    /// <summary>Appends <paramref name="range"/> (memory that does not move); false when the list is full.</summary>
    public bool TryAdd(ReadOnlySpan<byte> range)
    {
        if (Count == Capacity)
        {
            return false;
        }

        if (!range.IsEmpty)
        {
            _vectors[Count] = new Interop.IoVec
            {
                Base = Unsafe.AsPointer(ref MemoryMarshal.GetReference(range)),
                Length = (nuint)range.Length,
            };
            Count++;
        }

        return true;
    }

    /// <summary>writev(2) of the whole list to <paramref name="fd"/>: bytes written, or -1 with errno set.</summary>
    internal nint WriteTo(int fd)
    {
        fixed (Interop.IoVec* vectors = &_vectors[0])
        {
            return Interop.Writev(fd, vectors, Count);
        }
    }

    private readonly long SumLengths()
    {
        long total = 0;
        for (int i = 0; i < Count; i++)
        {
            total += (long)_vectors[i].Length;
        }

        return total;
    }

    [InlineArray(Capacity)]
    private struct Vectors
    {
        private Interop.IoVec _first;
    }
}
