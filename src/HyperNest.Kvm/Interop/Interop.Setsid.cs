using System.Runtime.InteropServices;

namespace HyperNest.Kvm;

internal static partial class Interop
{
    [LibraryImport(Libc, EntryPoint = "setsid", SetLastError = true)]
    internal static partial int Setsid();
}
