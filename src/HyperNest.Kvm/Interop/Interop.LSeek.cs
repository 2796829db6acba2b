using System.Runtime.InteropServices;

namespace HyperNest.Kvm;

internal static partial class Interop
{
    internal const int SEEK_END = 2;

    [LibraryImport(Libc, EntryPoint = "lseek64", SetLastError = true)]
    internal static partial long LSeek(SafeHandle fd, long offset, int whence);
}
