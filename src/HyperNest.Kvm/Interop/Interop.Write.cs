using System.Runtime.InteropServices;

namespace HyperNest.Kvm;

internal static partial class Interop
{
    [LibraryImport(Libc, EntryPoint = "write", SetLastError = true)]
    internal static unsafe partial nint Write(int fd, void* buffer, nuint count);
}
