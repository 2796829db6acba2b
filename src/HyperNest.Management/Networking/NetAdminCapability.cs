using System.Globalization;

namespace HyperNest.Management.Networking;

/// <summary>Whether this process holds CAP_NET_ADMIN (capability 12, linux/capability.h) in its effective set.</summary>
public static class NetAdminCapability
{
    private const int CapNetAdmin = 12;

    public static bool IsEffective() => IsEffective(File.ReadLines("/proc/self/status"));

    /// <summary>From /proc/self/status: "CapEff:" is the effective set as a hex mask.</summary>
    internal static bool IsEffective(IEnumerable<string> status)
    {
        string? line = status.FirstOrDefault(l => l.StartsWith("CapEff:", StringComparison.Ordinal));
        return line is not null
            && ulong.TryParse(line["CapEff:".Length..].Trim(), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ulong mask)
            && (mask >> CapNetAdmin & 1) != 0;
    }
}
