using System.Runtime.InteropServices;

namespace HyperNest.Kvm;

internal static unsafe partial class Interop
{
    /// <summary>getgrgid_r(3): the group with this id; the same contract as <see cref="GetGrNamR"/>.</summary>
    [LibraryImport(Libc, EntryPoint = "getgrgid_r")]
    internal static partial int GetGrGidR(uint gid, GroupEntry* group, byte* buffer, nuint length, GroupEntry** result);
}
