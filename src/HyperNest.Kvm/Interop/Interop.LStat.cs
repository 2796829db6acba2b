using System.Runtime.InteropServices;

namespace HyperNest.Kvm;

internal static partial class Interop
{
    /// <summary>stat(2) of the path itself, never of what a symbolic link points at (glibc 2.33+ exports lstat).</summary>
    [LibraryImport(Libc, EntryPoint = "lstat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int LStat(string path, out FileStatusBuffer status);
}
