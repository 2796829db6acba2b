using System.Buffers;
using System.Buffers.Binary;
using System.IO.Hashing;
using HyperNest.Kvm;
using HyperNest.Vmm.Memory;
using Microsoft.Win32.SafeHandles;

namespace HyperNest.Vmm.SavedStates;

/// <summary>
/// A saved VM's guest memory: one 4 KiB header page, then boot RAM as the host holds it, then the hot-pluggable
/// region (plugged or not). Sparse: a page that is all zeroes is a hole and costs no disk, so a 1 GiB guest that used
/// 100 MiB saves about 100 MiB. A restore maps the file copy-on-write (<see cref="AnonymousMemory.CopyOnWriteOf"/>):
/// nothing is read until the guest touches a page.
/// <para>
/// Header (little-endian): magic "HNMEMORY" (8 bytes), schema (u32), reserved (u32), the save's id (16 bytes, the
/// same as its state file's), boot RAM bytes (u64), hot-pluggable bytes (u64), the pages' hash (u64). The id ties
/// the two files of one save together; the hash catches a file changed or damaged since. It is XxHash3 over every
/// page that is not all zeroes, in order, each as its index (u64, from the first page after the header) then its
/// 4 KiB: zero pages are holes and hash as nothing, so checking it reads only the file's data (SEEK_DATA), and a
/// page that turned to zeroes still changes it.
/// </para>
/// <para>
/// Unplugged blocks of the hot-pluggable region are not saved (they read as zero to the guest; the driver promises
/// not to touch them, virtio 1.2 §5.15.6): they are holes whatever the guest left in them.
/// </para>
/// </summary>
public sealed class GuestMemoryFile : IDisposable
{
    public const int HeaderSize = 4096;
    public const uint Schema = 1;

    private static ReadOnlySpan<byte> Magic => "HNMEMORY"u8;

    /// <summary>Writes and reads are done in runs of at most this many bytes.</summary>
    private const int Chunk = 2 << 20;

    private readonly SafeFileHandle _file;

    private GuestMemoryFile(SafeFileHandle file, ulong bootBytes, ulong hotplugBytes)
    {
        _file = file;
        BootBytes = bootBytes;
        HotplugBytes = hotplugBytes;
    }

    public ulong BootBytes { get; }

    public ulong HotplugBytes { get; }

    /// <summary>
    /// Writes <paramref name="memory"/> to a new file at <paramref name="path"/> (replacing one there), zero pages as
    /// holes, and makes it durable (fsync). The file is never wider than <paramref name="access"/> allows (it holds
    /// everything the guest had in memory). Returns the bytes of data written (holes not counted).
    /// Throws <see cref="IOException"/> when the disk refuses (full, read-only); the partial file is deleted then.
    /// </summary>
    public static long Write(string path, Guid saveId, GuestMemory memory, HostFileAccess access)
    {
        ulong hotplug = memory.Hotplug?.Size ?? 0;
        long needed = HeaderSize + (long)memory.Size + (long)hotplug;
        // A save area (a block device inside an emulated host, all zeroes) is written in place, never truncated.
        bool area = IsBlockDevice(path);
        try
        {
            using FileStream stream = area
                ? new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None, bufferSize: 0)
                : access.OpenFile(path, FileMode.Create, FileAccess.ReadWrite, FileShare.None, bufferSize: 0);
            SafeFileHandle file = stream.SafeFileHandle;
            if (!area)
            {
                RandomAccess.SetLength(file, needed);
            }
            else if (FileSize.Of(file) != needed)
            {
                throw new IOException($"the save area {path} is {FileSize.Of(file)} bytes; this VM's memory needs {needed}");
            }

            var hash = new XxHash3();
            long written = WritePages(file, 0, memory.Size, memory.HostView, hash);
            if (memory.Hotplug is { } region)
            {
                for (ulong block = 0; block < region.BlockCount; block++)
                {
                    if (region.CountPlugged(block, 1) == 1)
                    {
                        ulong offset = block * HotplugRegion.BlockSize;
                        written += WritePages(file, memory.Size + offset, HotplugRegion.BlockSize,
                            (at, length) => region.HostView(offset + at, length), hash);
                    }
                }
            }

            Span<byte> header = stackalloc byte[HeaderSize];
            header.Clear();
            Magic.CopyTo(header);
            BinaryPrimitives.WriteUInt32LittleEndian(header[8..], Schema);
            saveId.TryWriteBytes(header[16..32]);
            BinaryPrimitives.WriteUInt64LittleEndian(header[32..], memory.Size);
            BinaryPrimitives.WriteUInt64LittleEndian(header[40..], hotplug);
            BinaryPrimitives.WriteUInt64LittleEndian(header[48..], hash.GetCurrentHashAsUInt64());
            RandomAccess.Write(file, header, 0);
            RandomAccess.FlushToDisk(file);
            return written;
        }
        catch
        {
            if (!area)
            {
                File.Delete(path);
            }

            throw;
        }
    }

    /// <summary>Whether <paramref name="path"/> (through a symbolic link: /hnest/save) is a block device.</summary>
    private static bool IsBlockDevice(string path) =>
        File.Exists(path) && FileStatus.ReadTarget(path) is { IsBlockDevice: true };

    /// <summary>
    /// Opens the memory file of the save <paramref name="saveId"/> and checks it against what its state file says:
    /// the magic, the schema, the id, the sizes, the length and (reading it once) the hash. Throws
    /// <see cref="SavedStateException"/> naming what is wrong; nothing is mapped then.
    /// </summary>
    public static GuestMemoryFile Open(string path, Guid saveId, ulong bootBytes, ulong hotplugBytes)
    {
        SafeFileHandle file;
        try
        {
            file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SavedStateException($"the saved memory '{path}' cannot be read: {e.UserMessage()}");
        }

        try
        {
            Span<byte> header = stackalloc byte[HeaderSize];
            int read = RandomAccess.Read(file, header, 0);
            if (read < 64 || !header[..8].SequenceEqual(Magic))
            {
                throw new SavedStateException($"'{path}' is not a HyperNest saved memory file");
            }

            uint schema = BinaryPrimitives.ReadUInt32LittleEndian(header[8..]);
            if (schema != Schema)
            {
                throw new SavedStateException($"'{path}' has memory-file schema {schema}; this HyperNest reads schema {Schema}");
            }

            if (new Guid(header[16..32]) != saveId)
            {
                throw new SavedStateException($"'{path}' belongs to another save than its state file");
            }

            ulong boot = BinaryPrimitives.ReadUInt64LittleEndian(header[32..]);
            ulong hotplug = BinaryPrimitives.ReadUInt64LittleEndian(header[40..]);
            long length = FileSize.Of(file); // a block device's too (inside an emulated host)
            if (boot != bootBytes || hotplug != hotplugBytes)
            {
                throw new SavedStateException($"'{path}' holds {boot >> 20} MiB + {hotplug >> 20} MiB of memory; its state file says {bootBytes >> 20} MiB + {hotplugBytes >> 20} MiB");
            }

            if (boot == 0 || boot % (ulong)Environment.SystemPageSize != 0 || hotplug % HotplugRegion.BlockSize != 0)
            {
                throw new SavedStateException($"'{path}' is corrupt: {boot} + {hotplug} bytes are not the sizes of a guest's memory (whole pages of boot RAM, whole hot-pluggable blocks)");
            }

            // Unwrapped: sizes near 2^64 must not add up to the file's length.
            UInt128 needed = (UInt128)HeaderSize + boot + hotplug;
            if ((ulong)length != needed)
            {
                throw new SavedStateException($"'{path}' is {((ulong)length < needed ? "truncated" : "corrupt")}: {length} bytes of {needed}");
            }

            if (HashData(file, length) != BinaryPrimitives.ReadUInt64LittleEndian(header[48..]))
            {
                throw new SavedStateException($"'{path}' is corrupt: its contents do not match their checksum");
            }

            return new GuestMemoryFile(file, boot, hotplug);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>Guest memory of this file's sizes, mapped from it copy-on-write.</summary>
    public GuestMemory Map() => new(BootBytes, HotplugBytes,
        length => AnonymousMemory.CopyOnWriteOf(_file, HeaderSize, length),
        length => AnonymousMemory.CopyOnWriteOf(_file, HeaderSize + (long)BootBytes, length));

    public void Dispose() => _file.Dispose();

    private delegate ReadOnlySpan<byte> HostView(ulong offset, int length);

    /// <summary>
    /// Writes the non-zero pages of <paramref name="length"/> bytes that start <paramref name="dataOffset"/> bytes into
    /// the data area (read through <paramref name="view"/> from 0), coalesced into runs, and hashes each with its index.
    /// </summary>
    private static long WritePages(SafeFileHandle file, ulong dataOffset, ulong length, HostView view, XxHash3 hash)
    {
        int page = Environment.SystemPageSize;
        long written = 0;
        for (ulong chunk = 0; chunk < length; chunk += Chunk)
        {
            ReadOnlySpan<byte> data = view(chunk, (int)Math.Min(Chunk, length - chunk));
            int run = -1;
            for (int at = 0; at <= data.Length; at += page)
            {
                bool zero = at == data.Length || !HashPage(hash, (dataOffset + chunk + (ulong)at) / (ulong)page, data.Slice(at, page));
                if (!zero && run < 0)
                {
                    run = at;
                }
                else if (zero && run >= 0)
                {
                    RandomAccess.Write(file, data[run..at], HeaderSize + (long)(dataOffset + chunk) + run);
                    written += at - run;
                    run = -1;
                }
            }
        }

        return written;
    }

    /// <summary>Hashes a page that is not all zeroes, with its index; false (and nothing hashed) for a zero page.</summary>
    private static bool HashPage(XxHash3 hash, ulong index, ReadOnlySpan<byte> page)
    {
        if (!page.ContainsAnyExcept((byte)0))
        {
            return false;
        }

        Span<byte> number = stackalloc byte[sizeof(ulong)];
        BinaryPrimitives.WriteUInt64LittleEndian(number, index);
        hash.Append(number);
        hash.Append(page);
        return true;
    }

    /// <summary>The pages' hash of a memory file, reading only where it holds data.</summary>
    private static ulong HashData(SafeFileHandle file, long length)
    {
        var hash = new XxHash3();
        // Rented: a restore opens one file, but the buffer is large and a caller may open many (a check, a fuzzer).
        byte[] buffer = ArrayPool<byte>.Shared.Rent(Chunk);
        try
        {
            HashRanges(file, length, hash, buffer);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return hash.GetCurrentHashAsUInt64();
    }

    private static void HashRanges(SafeFileHandle file, long length, XxHash3 hash, byte[] buffer)
    {
        int page = Environment.SystemPageSize;
        foreach ((long offset, long size) in FileData.Ranges(file, HeaderSize, length))
        {
            // Data starts and ends on file-system blocks; widen to whole pages of the data area.
            long first = HeaderSize + ((offset - HeaderSize) / page * page);
            long end = Math.Min(length, HeaderSize + ((offset + size - HeaderSize + page - 1) / page * page));
            for (long at = first; at < end; at += Chunk)
            {
                int read = RandomAccess.Read(file, buffer.AsSpan(0, (int)Math.Min(Chunk, end - at)), at);
                for (int p = 0; p + page <= read; p += page)
                {
                    HashPage(hash, (ulong)(at + p - HeaderSize) / (ulong)page, buffer.AsSpan(p, page));
                }
            }
        }
    }
}
