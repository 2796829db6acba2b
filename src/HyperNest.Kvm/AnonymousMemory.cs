namespace HyperNest.Kvm;

/// <summary>
/// A private anonymous mapping of host memory, lazily backed (MAP_NORESERVE): the backing store of guest RAM.
/// Pages are zero until touched, so a 4 GiB guest that uses 50 MiB costs 50 MiB.
/// </summary>
public sealed unsafe class AnonymousMemory : IDisposable
{
    private nint _address;

    public AnonymousMemory(ulong length)
    {
        if (length == 0 || length % (ulong)Environment.SystemPageSize != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(length), length, "must be a non-zero multiple of the page size");
        }

        nint address = Interop.Mmap(0, (nuint)length, Interop.PROT_READ | Interop.PROT_WRITE,
            Interop.MAP_PRIVATE | Interop.MAP_ANONYMOUS | Interop.MAP_NORESERVE, -1, 0);
        if (address == Interop.MAP_FAILED)
        {
            throw KvmException.FromLastError("mmap");
        }

        _address = address;
        Length = length;
    }

    public ulong Length { get; }

    public byte* Pointer
    {
        get
        {
            ObjectDisposedException.ThrowIf(_address == 0, this);
            return (byte*)_address;
        }
    }

    public ulong Address => (ulong)Pointer;

    /// <summary>Returns a range to the host (it reads as zero afterwards).</summary>
    public void Discard(ulong offset, ulong length)
    {
        if (offset > Length || length > Length - offset)
        {
            throw new ArgumentOutOfRangeException(nameof(length));
        }

        if (Interop.Madvise(_address + (nint)offset, (nuint)length, Interop.MADV_DONTNEED) != 0)
        {
            throw KvmException.FromLastError("madvise");
        }
    }

    public void Dispose()
    {
        nint address = Interlocked.Exchange(ref _address, 0);
        if (address != 0)
        {
            _ = Interop.Munmap(address, (nuint)Length);
        }
    }
}
