using System.Runtime.InteropServices;

namespace HyperNest.Kvm;

internal static partial class Interop
{
    internal const int W_OK = 2;

    /// <summary>euidaccess(3): may this process (its effective ids, as open(2) checks) access the path so.</summary>
    [LibraryImport(Libc, EntryPoint = "euidaccess", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int EuidAccess(string path, int mode);
}
