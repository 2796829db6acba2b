using System.Runtime.InteropServices;

namespace HyperNest.Kvm;

internal static partial class Interop
{
    [LibraryImport(Libc, EntryPoint = "tgkill", SetLastError = true)]
    internal static partial int TgKill(int threadGroupId, int threadId, int signal);
}
