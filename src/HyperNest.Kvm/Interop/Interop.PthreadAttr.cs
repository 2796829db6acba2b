using System.Runtime.InteropServices;

namespace HyperNest.Kvm;

internal static partial class Interop
{
    /// <summary>pthread_attr_t is 56 bytes in glibc on x86-64; a larger buffer leaves room and stays opaque.</summary>
    internal const int PthreadAttrBytes = 128;

    // These return an error number rather than setting errno.
    [LibraryImport(Libc, EntryPoint = "pthread_attr_init")]
    internal static unsafe partial int PthreadAttrInit(byte* attr);

    [LibraryImport(Libc, EntryPoint = "pthread_attr_setstacksize")]
    internal static unsafe partial int PthreadAttrSetStackSize(byte* attr, nuint stackSize);

    [LibraryImport(Libc, EntryPoint = "pthread_setattr_default_np")]
    internal static unsafe partial int PthreadSetAttrDefaultNp(byte* attr);

    [LibraryImport(Libc, EntryPoint = "pthread_attr_destroy")]
    internal static unsafe partial int PthreadAttrDestroy(byte* attr);
}
