namespace HyperNest.Kvm;

/// <summary>
/// Native calls HyperNest makes into libc. One call per file (Interop.&lt;Name&gt;.cs), all source-generated
/// with LibraryImport so they work under NativeAOT.
/// </summary>
internal static partial class Interop
{
    internal const string Libc = "libc";
}
