using System.Runtime.InteropServices;

namespace HyperNest.Kvm;

internal static partial class Interop
{
    /// <summary>chown(2) of the path itself, never of what a symbolic link points at.</summary>
    [LibraryImport(Libc, EntryPoint = "lchown", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Lchown(string path, uint owner, uint group);
}
