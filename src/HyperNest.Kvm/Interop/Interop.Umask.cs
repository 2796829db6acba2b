using System.Runtime.InteropServices;

namespace HyperNest.Kvm;

internal static partial class Interop
{
    /// <summary>umask(2): sets the process's file mode creation mask, returns the previous one. Never fails.</summary>
    [LibraryImport(Libc, EntryPoint = "umask")]
    internal static partial uint Umask(uint mask);
}
