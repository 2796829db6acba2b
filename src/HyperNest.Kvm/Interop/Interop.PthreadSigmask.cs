using System.Runtime.InteropServices;

namespace HyperNest.Kvm;

internal static partial class Interop
{
    internal const int SIG_BLOCK = 0;
    internal const int SIG_UNBLOCK = 1;
    internal const int SIG_SETMASK = 2;

    /// <summary>glibc's sigset_t is 1024 bits; the kernel's (and KVM_SET_SIGNAL_MASK's) is 64.</summary>
    internal const int GlibcSigsetBytes = 128;

    [LibraryImport(Libc, EntryPoint = "pthread_sigmask")]
    internal static unsafe partial int PthreadSigmask(int how, byte* set, byte* oldSet);
}
