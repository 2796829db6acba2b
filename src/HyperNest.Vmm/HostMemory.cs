namespace HyperNest.Vmm;

/// <summary>The host's memory, from /proc/meminfo.</summary>
public static class HostMemory
{
    public static ulong TotalBytes => Read("MemTotal:");

    private static ulong Read(string key)
    {
        foreach (string line in File.ReadLines("/proc/meminfo"))
        {
            if (line.StartsWith(key, StringComparison.Ordinal))
            {
                string[] fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                return ulong.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture) * 1024;
            }
        }

        return 0;
    }
}
