using System.Globalization;

namespace HyperNest.Vmm;

/// <summary>Memory sizes as people write them: 512M, 1G, 1.5GiB, 2048 (MiB when no unit is given).</summary>
public static class ByteSize
{
    public static bool TryParse(string text, out ulong bytes)
    {
        bytes = 0;
        string s = text.Trim();
        int split = 0;
        while (split < s.Length && (char.IsAsciiDigit(s[split]) || s[split] == '.'))
        {
            split++;
        }

        if (split == 0 || !decimal.TryParse(s[..split], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out decimal value))
        {
            return false;
        }

        ulong? multiplier = s[split..].ToUpperInvariant() switch
        {
            "" or "M" or "MB" or "MIB" => 1UL << 20,
            "B" => 1,
            "K" or "KB" or "KIB" => 1UL << 10,
            "G" or "GB" or "GIB" => 1UL << 30,
            "T" or "TB" or "TIB" => 1UL << 40,
            _ => null,
        };
        if (multiplier is null || value > ulong.MaxValue / multiplier.Value)
        {
            return false;
        }

        bytes = (ulong)(value * multiplier.Value);
        return true;
    }

    public static string Format(ulong bytes) => bytes switch
    {
        _ when bytes >= 1UL << 30 && bytes % (1UL << 30) == 0 => $"{bytes >> 30} GiB",
        _ => $"{bytes >> 20} MiB",
    };
}
