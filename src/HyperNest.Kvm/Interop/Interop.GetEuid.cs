using System.Runtime.InteropServices;

namespace HyperNest.Kvm;

internal static partial class Interop
{
    /// <summary>geteuid(2): the user id the kernel checks this process's file accesses against. Never fails.</summary>
    [LibraryImport(Libc, EntryPoint = "geteuid")]
    internal static partial uint GetEuid();
}
