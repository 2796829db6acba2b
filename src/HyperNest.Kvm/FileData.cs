using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace HyperNest.Kvm;

/// <summary>
/// Where a sparse file holds data (lseek(2) SEEK_DATA and SEEK_HOLE): a reader of a mostly-empty file reads only its
/// data. A file system or device that cannot tell (EINVAL) reports the whole file as data.
/// </summary>
public static class FileData
{
    private const int SeekData = 3, SeekHole = 4;
    private const int Enxio = 6, Einval = 22;

    /// <summary>
    /// The ranges of data in [<paramref name="from"/>, <paramref name="length"/>) as (offset, length), in order.
    /// Throws <see cref="KvmException"/> when lseek fails otherwise.
    /// </summary>
    public static IEnumerable<(long Offset, long Length)> Ranges(SafeFileHandle file, long from, long length)
    {
        long at = from;
        while (at < length)
        {
            long data = Interop.LSeek(file, at, SeekData);
            if (data < 0)
            {
                int errno = Marshal.GetLastPInvokeError();
                if (errno == Enxio)
                {
                    yield break; // nothing but a hole from here
                }

                if (errno == Einval)
                {
                    yield return (at, length - at);
                    yield break;
                }

                throw new KvmException("lseek SEEK_DATA", errno);
            }

            long hole = Interop.LSeek(file, data, SeekHole);
            hole = hole < 0 ? length : Math.Min(hole, length);
            if (data >= length)
            {
                yield break;
            }

            yield return (data, hole - data);
            at = hole;
        }
    }
}
