using System.Globalization;

namespace HyperNest.Management.Model;

/// <summary>
/// MAC addresses in Hyper-V's form: 12 upper-case hex digits (00155D0A1B2C). Dynamic addresses come from
/// Microsoft's Hyper-V prefix 00:15:5D, as guests and DHCP servers expect of a Hyper-V-compatible host.
/// </summary>
public static class MacAddress
{
    public const string DynamicPrefix = "00155D";

    /// <summary>Accepts 00155D0A1B2C, 00:15:5d:0a:1b:2c or 00-15-5D-0A-1B-2C; refuses multicast and all-zero.</summary>
    public static string Normalize(string text)
    {
        string hex = text.Replace(":", string.Empty, StringComparison.Ordinal).Replace("-", string.Empty, StringComparison.Ordinal).ToUpperInvariant();
        if (hex.Length != 12 || !ulong.TryParse(hex, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ulong value))
        {
            throw new VmValidationException($"'{text}' is not a valid MAC address (expected 12 hex digits, e.g. 00155D0A1B2C).");
        }

        if (value == 0 || (value >> 40 & 1) != 0)
        {
            throw new VmValidationException($"'{text}' is not a valid static MAC address: it must be a non-zero unicast address.");
        }

        return hex;
    }

    /// <summary>A random address of Hyper-V's prefix (<see cref="MacAddressPool.Default"/>) that is not in <paramref name="used"/>.</summary>
    public static string NewDynamic(IReadOnlySet<string> used) => MacAddressPool.Default.NewDynamic(used);

    /// <summary>00:15:5D:0A:1B:2C, the form Linux tools print.</summary>
    public static string ToColonForm(string mac) => string.Join(':', Enumerable.Range(0, 6).Select(i => mac.Substring(i * 2, 2)));
}
