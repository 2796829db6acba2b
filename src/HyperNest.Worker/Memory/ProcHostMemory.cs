using System.Globalization;

namespace HyperNest.Worker.Memory;

/// <summary><see cref="IHostMemory"/> read from /proc/meminfo and /proc/self/status ("Name: 1234 kB" lines, spaces or a tab).</summary>
internal sealed class ProcHostMemory : IHostMemory
{
    public ulong TotalBytes => Kilobytes("/proc/meminfo", "MemTotal:");

    public ulong AvailableBytes => Kilobytes("/proc/meminfo", "MemAvailable:");

    public ulong OwnResidentBytes => Kilobytes("/proc/self/status", "VmRSS:");

    /// <summary>The value of the line starting with <paramref name="key"/>, in bytes; 0 if there is none.</summary>
    internal static ulong Kilobytes(string path, string key)
    {
        foreach (string line in File.ReadLines(path))
        {
            if (line.StartsWith(key, StringComparison.Ordinal))
            {
                string[] words = line[key.Length..].Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
                return words.Length > 0 && ulong.TryParse(words[0], NumberStyles.None, CultureInfo.InvariantCulture, out ulong kib) ? kib * 1024 : 0;
            }
        }

        return 0;
    }
}
