namespace HyperNest.Kvm;

/// <summary>
/// A private mapping of host memory, lazily backed (MAP_NORESERVE): the backing store of guest RAM. Pages are zero
/// until touched, so a 4 GiB guest that uses 50 MiB costs 50 MiB; or, mapped with <see cref="CopyOnWriteOf"/>, they
/// start as a file's contents, read from it when first touched (a restored VM's memory file).
/// </summary>
public sealed unsafe class AnonymousMemory : IDisposable
{
    private nint _address;

    /// <summary>Whether pages come from a file until written: discarding must then map zeroes, not re-read the file.</summary>
    private readonly bool _fileBacked;

    public AnonymousMemory(ulong length)
        : this(length, -1, 0)
    {
    }

    private AnonymousMemory(ulong length, int fd, long offset)
    {
        if (length == 0 || length % (ulong)Environment.SystemPageSize != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(length), length, "must be a non-zero multiple of the page size");
        }

        int flags = Interop.MAP_PRIVATE | Interop.MAP_NORESERVE | (fd < 0 ? Interop.MAP_ANONYMOUS : 0);
        nint address = Interop.Mmap(0, (nuint)length, Interop.PROT_READ | Interop.PROT_WRITE, flags, fd, offset);
        if (address == Interop.MAP_FAILED)
        {
            throw KvmException.FromLastError("mmap");
        }

        _address = address;
        _fileBacked = fd >= 0;
        Length = length;
    }

    /// <summary>
    /// <paramref name="length"/> bytes that read as <paramref name="file"/> from <paramref name="offset"/> (a multiple
    /// of the page size) until written (MAP_PRIVATE: writes stay in this process, the file is never changed). Nothing
    /// is read until a page is touched. The file must not change while mapped (its untouched pages would follow it);
    /// it may be unlinked.
    /// </summary>
    public static AnonymousMemory CopyOnWriteOf(Microsoft.Win32.SafeHandles.SafeFileHandle file, long offset, ulong length)
    {
        bool added = false;
        file.DangerousAddRef(ref added);
        try
        {
            return new AnonymousMemory(length, (int)file.DangerousGetHandle(), offset);
        }
        finally
        {
            if (added)
            {
                file.DangerousRelease();
            }
        }
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

        if (_fileBacked)
        {
            // MADV_DONTNEED on a private file mapping would bring the file's page back: map fresh zero pages over it.
            nint zeroes = Interop.Mmap(_address + (nint)offset, (nuint)length, Interop.PROT_READ | Interop.PROT_WRITE,
                Interop.MAP_PRIVATE | Interop.MAP_ANONYMOUS | Interop.MAP_NORESERVE | Interop.MAP_FIXED, -1, 0);
            if (zeroes == Interop.MAP_FAILED)
            {
                throw KvmException.FromLastError("mmap");
            }

            return;
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
