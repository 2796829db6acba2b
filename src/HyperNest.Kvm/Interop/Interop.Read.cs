using System.Runtime.InteropServices;

namespace HyperNest.Kvm;

internal static partial class Interop
{
    [LibraryImport(Libc, EntryPoint = "read", SetLastError = true)]
    internal static unsafe partial nint Read(int fd, void* buffer, nuint count);
}
