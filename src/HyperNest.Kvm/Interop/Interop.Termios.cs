using System.Runtime.InteropServices;

namespace HyperNest.Kvm;

internal static partial class Interop
{
    /// <summary>struct termios is 60 bytes in glibc on x86-64; a larger buffer leaves room and stays opaque.</summary>
    internal const int TermiosBytes = 128;
    internal const int TCSANOW = 0;

    [LibraryImport(Libc, EntryPoint = "tcgetattr", SetLastError = true)]
    internal static unsafe partial int TcGetAttr(int fd, byte* termios);

    [LibraryImport(Libc, EntryPoint = "tcsetattr", SetLastError = true)]
    internal static unsafe partial int TcSetAttr(int fd, int optionalActions, byte* termios);

    [LibraryImport(Libc, EntryPoint = "cfmakeraw")]
    internal static unsafe partial void CfMakeRaw(byte* termios);

    [LibraryImport(Libc, EntryPoint = "isatty")]
    internal static partial int IsATty(int fd);
}
