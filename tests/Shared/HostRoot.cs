namespace HyperNest.Tests;

/// <summary>
/// Can these tests act as other users: root, with setpriv (util-linux) to run a command as a throwaway uid (65534,
/// nobody) and groupadd/groupdel (passwd) to make a throwaway group. Tests of who may use a store need it and skip
/// with the reason: <c>Skip.IfNot(HostRoot.Usable, HostRoot.WhyNot)</c>, with <c>[Trait("Requires", "root")]</c>.
/// </summary>
internal static class HostRoot
{
    /// <summary>The uid (and gid) the tests act as when they need someone who is neither root nor the store's owner.</summary>
    public const uint Outsider = 65534;

    private static readonly Lazy<string?> Problem = new(Probe);

    public static bool Usable => Problem.Value is null;

    public static string WhyNot => Problem.Value ?? string.Empty;

    private static string? Probe()
    {
        if (!Environment.IsPrivilegedProcess)
        {
            return "needs root: runs commands as uid 65534 (setpriv) and makes a throwaway group (groupadd)";
        }

        string[] path = (Environment.GetEnvironmentVariable("PATH") ?? "/usr/sbin:/usr/bin:/sbin:/bin").Split(':');
        string[] missing = [.. new[] { "setpriv", "groupadd", "groupdel", "getent" }.Where(tool => !path.Any(d => File.Exists(Path.Combine(d, tool))))];
        return missing.Length == 0 ? null : $"needs {string.Join(", ", missing)} on PATH (util-linux, passwd, libc-bin)";
    }
}
