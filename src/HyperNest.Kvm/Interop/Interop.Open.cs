using System.Runtime.InteropServices;

namespace HyperNest.Kvm;

internal static partial class Interop
{
    internal const int O_RDWR = 0x2;
    internal const int O_CLOEXEC = 0x80000;

    [LibraryImport(Libc, EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Open(string path, int flags);
}
