using System.Runtime.InteropServices;

namespace HyperNest.Kvm;

internal static unsafe partial class Interop
{
    /// <summary>
    /// getgrnam_r(3): the group named so, through NSS (/etc/group, or a directory service). Returns 0 with
    /// *<paramref name="result"/> null when there is none, ERANGE when <paramref name="buffer"/> is too small.
    /// </summary>
    [LibraryImport(Libc, EntryPoint = "getgrnam_r", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int GetGrNamR(string name, GroupEntry* group, byte* buffer, nuint length, GroupEntry** result);
}
