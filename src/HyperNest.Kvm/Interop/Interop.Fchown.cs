using System.Runtime.InteropServices;

namespace HyperNest.Kvm;

internal static partial class Interop
{
    /// <summary>An owner or group of <see cref="NoChange"/> leaves that one as it is (chown(2)).</summary>
    internal const uint NoChange = uint.MaxValue;

    [LibraryImport(Libc, EntryPoint = "fchown", SetLastError = true)]
    internal static partial int Fchown(int fd, uint owner, uint group);
}
