namespace HyperNest.Kvm;

/// <summary>
/// The stack size of threads created without one. glibc's default is RLIMIT_STACK, 8 MiB on most hosts; on a host
/// with transparent huge pages "always", a thread whose 8 MiB stack ends on a 2 MiB boundary gets a whole 2 MiB
/// huge page for the few KiB it uses (seen in the lab: docs/benchmarks.md). A stack smaller than 2 MiB never does.
/// </summary>
public static unsafe class ThreadStacks
{
    /// <summary>
    /// Makes <paramref name="bytes"/> the stack size of threads created from now on without their own
    /// (pthread_setattr_default_np(3)); false when libc refuses it, which costs only memory.
    /// </summary>
    public static bool SetDefaultSize(ulong bytes)
    {
        byte* attr = stackalloc byte[Interop.PthreadAttrBytes];
        if (Interop.PthreadAttrInit(attr) != 0)
        {
            return false;
        }

        try
        {
            return Interop.PthreadAttrSetStackSize(attr, (nuint)bytes) == 0 && Interop.PthreadSetAttrDefaultNp(attr) == 0;
        }
        finally
        {
            Interop.PthreadAttrDestroy(attr);
        }
    }
}
