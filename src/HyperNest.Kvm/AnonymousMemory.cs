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
    private bool _fileBacked;

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

    /// <summary>
    /// <paramref name="length"/> bytes that read as <paramref name="file"/> from <paramref name="offset"/> (a multiple
    /// of the page size) until written (MAP_PRIVATE: writes stay in this process, the file is never changed). Nothing
    /// is read until a page is touched. Only the file's data is mapped from it (SEEK_DATA): its holes are anonymous
    /// zero pages, so touching one costs no page cache (and on tmpfs no file page). The file must not change while
    /// mapped; it may be unlinked.
    /// </summary>
    public static AnonymousMemory CopyOnWriteOf(Microsoft.Win32.SafeHandles.SafeFileHandle file, long offset, ulong length)
    {
        var memory = new AnonymousMemory(length);
        try
        {
            long page = Environment.SystemPageSize;
            var ranges = new List<(long Offset, long Length)>();
            foreach ((long data, long size) in FileData.Ranges(file, offset, offset + (long)length))
            {
                long first = offset + ((data - offset) / page * page);
                long end = Math.Min(offset + (long)length, offset + ((data + size - offset + page - 1) / page * page));
                ranges.Add((first, end - first));
                if (ranges.Count > MaxDataRanges)
                {
                    // Too scattered to map piece by piece (each piece is a VMA): map all of it.
                    ranges = [(offset, (long)length)];
                    break;
                }
            }

            foreach ((long at, long size) in ranges)
            {
                memory.MapFile(file, at, (ulong)(at - offset), (ulong)size);
            }

            memory._fileBacked = true;
            return memory;
        }
        catch
        {
            memory.Dispose();
            throw;
        }
    }

    /// <summary>Below the kernel's default limit of 65530 mappings a process may have, with room to spare.</summary>
    private const int MaxDataRanges = 16384;

    private void MapFile(Microsoft.Win32.SafeHandles.SafeFileHandle file, long fileOffset, ulong at, ulong length)
    {
        bool added = false;
        file.DangerousAddRef(ref added);
        try
        {
            nint mapped = Interop.Mmap(_address + (nint)at, (nuint)length, Interop.PROT_READ | Interop.PROT_WRITE,
                Interop.MAP_PRIVATE | Interop.MAP_NORESERVE | Interop.MAP_FIXED, (int)file.DangerousGetHandle(), fileOffset);
            if (mapped == Interop.MAP_FAILED)
            {
                throw KvmException.FromLastError("mmap");
            }
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
