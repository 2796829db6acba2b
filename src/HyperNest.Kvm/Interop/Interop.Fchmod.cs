using System.Runtime.InteropServices;

namespace HyperNest.Kvm;

internal static partial class Interop
{
    [LibraryImport(Libc, EntryPoint = "fchmod", SetLastError = true)]
    internal static partial int Fchmod(int fd, uint mode);
}
