using HyperNest.Kvm;

namespace HyperNest.Emulation;

/// <summary>
/// The cache (the emulated host's image, the kernels fetched for it, the last foreground runs' logs) is its user's
/// alone, whoever else shares a store: folders 0700, files 0600 (docs/architecture.md, "Access").
/// </summary>
public static class CacheFolders
{
    public static HostFileAccess Access => HostFileAccess.OwnerOnly;

    /// <summary>
    /// <paramref name="cacheDirectory"/>/<paramref name="name"/>, made (the cache with it) owner-only when missing,
    /// narrowed to that when wider. Returns its full path. Throws IOException or UnauthorizedAccessException.
    /// </summary>
    public static string Create(string cacheDirectory, string name)
    {
        Access.CreateDirectory(cacheDirectory);
        return Access.CreateDirectory(Path.Combine(cacheDirectory, name));
    }
}
