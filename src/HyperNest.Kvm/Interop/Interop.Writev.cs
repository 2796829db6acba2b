using System.Runtime.InteropServices;

namespace HyperNest.Kvm;

internal static partial class Interop
{
    /// <summary>struct iovec (writev(2)).</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal unsafe struct IoVec
    {
        public void* Base;
        public nuint Length;
    }

    [LibraryImport(Libc, EntryPoint = "writev", SetLastError = true)]
    internal static unsafe partial nint Writev(int fd, IoVec* vectors, int count);
}
