using System.Runtime.InteropServices;

namespace HyperNest.Kvm;

internal static partial class Interop
{
    [StructLayout(LayoutKind.Sequential)]
    internal struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [LibraryImport(Libc, EntryPoint = "sigtimedwait", SetLastError = true)]
    internal static unsafe partial int SigTimedWait(byte* set, void* info, Timespec* timeout);
}
