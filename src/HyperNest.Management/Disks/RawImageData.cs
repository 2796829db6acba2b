using HyperNest.Kvm;
using Microsoft.Win32.SafeHandles;

namespace HyperNest.Management.Disks;

/// <summary>Where a raw image's content ends: past its last non-zero byte (what a shrink must keep).</summary>
internal static class RawImageData
{
    private const int Chunk = 1 << 20;

    /// <summary>
    /// One past the last non-zero byte of the first <paramref name="length"/> bytes of <paramref name="file"/>, or 0
    /// when all are zero. Only the file's data ranges are read (SEEK_DATA/SEEK_HOLE: holes read as zeros), from the
    /// end backwards, so the cost is the zero bytes after the last data.
    /// </summary>
    public static long End(SafeFileHandle file, long length)
    {
        var buffer = new byte[Chunk];
        foreach ((long offset, long rangeLength) in FileData.Ranges(file, 0, length).Reverse())
        {
            for (long end = offset + rangeLength; end > offset;)
            {
                int size = (int)Math.Min(Chunk, end - offset);
                long start = end - size;
                Span<byte> read = buffer.AsSpan(0, size);
                int got = RandomAccess.Read(file, read, start);
                int last = read[..got].LastIndexOfAnyExcept((byte)0);
                if (last >= 0)
                {
                    return start + last + 1;
                }

                end = start;
            }
        }

        return 0;
    }
}
