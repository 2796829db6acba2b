using System.Diagnostics;
using System.Globalization;

namespace HyperNest.Tests;

/// <summary>
/// Can these tests change this host's network (create bridges and veth pairs): CAP_NET_ADMIN, iproute2, and a kernel
/// with bridges. Tests that need it skip with the reason: <c>Skip.IfNot(HostNetAdmin.Usable, HostNetAdmin.WhyNot)</c>.
/// They name everything they create with the prefix "hnt" and never touch the machine's own NICs.
/// Probed without HyperNest's code, so a bug there fails a test rather than skipping it.
/// </summary>
internal static class HostNetAdmin
{
    private static readonly Lazy<string?> Problem = new(Probe);

    public static bool Usable => Problem.Value is null;

    public static string WhyNot => Problem.Value ?? string.Empty;

    /// <summary>Runs ip; returns stdout, or fails the test with what ip said.</summary>
    public static string Ip(params string[] arguments)
    {
        (int code, string stdout, string stderr) = Run(arguments);
        Assert.True(code == 0, $"ip {string.Join(' ', arguments)}: {stderr}");
        return stdout;
    }

    /// <summary>Runs ip and ignores a failure (cleanup of what may be gone already).</summary>
    public static void TryIp(params string[] arguments) => Run(arguments);

    /// <summary>A unique interface name: the prefix and hex digits, at most 15 characters.</summary>
    public static string UniqueName(string prefix) => prefix + Guid.NewGuid().ToString("N")[..(15 - prefix.Length - 1)];

    private static string? Probe()
    {
        string? capEff = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("CapEff:", StringComparison.Ordinal));
        if (capEff is null || !ulong.TryParse(capEff[7..].Trim(), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ulong mask) || (mask >> 12 & 1) == 0)
        {
            return "needs CAP_NET_ADMIN (root) to create bridges on this host";
        }

        string probe = UniqueName("hntprobe");
        try
        {
            (int code, _, string stderr) = Run(["link", "add", "name", probe, "type", "bridge"]);
            return code == 0 ? null : $"this host cannot create a bridge: {stderr.Trim()}";
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return $"ip (iproute2) cannot be run: {e.Message}";
        }
        finally
        {
            TryIp("link", "del", "dev", probe);
        }
    }

    private static (int Code, string Stdout, string Stderr) Run(string[] arguments)
    {
        var start = new ProcessStartInfo("ip") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start)!;
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout, stderr.Result);
    }
}
