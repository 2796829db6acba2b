using System.Runtime.InteropServices;

namespace HyperNest.Kvm;

internal static partial class Interop
{
    [LibraryImport(Libc, EntryPoint = "gettid")]
    internal static partial int GetTid();

    [LibraryImport(Libc, EntryPoint = "getpid")]
    internal static partial int GetPid();
}
