using System.Runtime.InteropServices;

namespace HyperNest.Kvm;

internal static partial class Interop
{
    internal const int MADV_DONTNEED = 4;
    internal const int MADV_DONTDUMP = 16;

    [LibraryImport(Libc, EntryPoint = "madvise", SetLastError = true)]
    internal static partial int Madvise(nint address, nuint length, int advice);
}
