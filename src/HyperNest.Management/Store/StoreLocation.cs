namespace HyperNest.Management.Store;

/// <summary>Where the host inventory lives: $HYPERNEST_HOME, else /var/lib/hypernest for root, else the user's data dir.</summary>
public static class StoreLocation
{
    public const string HomeVariable = "HYPERNEST_HOME";

    public const string CacheVariable = "HYPERNEST_CACHE";

    // Not Environment.UserName: it needs a passwd entry, and minimal hosts (the lab's initramfs) have no /etc/passwd.
    public static string Resolve() => Resolve(Environment.GetEnvironmentVariable, IsRoot);

    internal static string Resolve(Func<string, string?> environment, Func<bool> isRoot)
    {
        if (NonEmpty(environment(HomeVariable)) is { } home)
        {
            return Path.GetFullPath(home);
        }

        if (isRoot())
        {
            return "/var/lib/hypernest";
        }

        string data = NonEmpty(environment("XDG_DATA_HOME"))
            ?? Path.Combine(NonEmpty(environment("HOME")) ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share");
        return Path.Combine(data, "hypernest");
    }

    /// <summary>
    /// Where HyperNest keeps what it can rebuild (the emulated host's image, the kernel it fetched): $HYPERNEST_CACHE,
    /// else /var/cache/hypernest for root, else $XDG_CACHE_HOME/hypernest (~/.cache/hypernest).
    /// </summary>
    public static string ResolveCache() => ResolveCache(Environment.GetEnvironmentVariable, IsRoot);

    internal static string ResolveCache(Func<string, string?> environment, Func<bool> isRoot)
    {
        if (NonEmpty(environment(CacheVariable)) is { } cache)
        {
            return Path.GetFullPath(cache);
        }

        if (isRoot())
        {
            return "/var/cache/hypernest";
        }

        string data = NonEmpty(environment("XDG_CACHE_HOME"))
            ?? Path.Combine(NonEmpty(environment("HOME")) ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        return Path.Combine(data, "hypernest");
    }

    private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    // /proc/self/status "Uid:" holds real, effective, saved and fs uids; the effective one decides.
    private static bool IsRoot()
    {
        foreach (string line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("Uid:", StringComparison.Ordinal))
            {
                string[] fields = line.Split((char[])['\t', ' '], StringSplitOptions.RemoveEmptyEntries);
                return fields.Length > 2 && fields[2] == "0";
            }
        }

        return false;
    }
}
