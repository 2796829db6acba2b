namespace HyperNest.Vmm;

/// <summary>A raw disk image attached as virtio-blk.</summary>
public sealed record DiskConfig(string Path, bool ReadOnly = false, string? Serial = null)
{
    /// <summary>Parses the CLI form <c>PATH[,readonly][,serial=ID]</c>.</summary>
    public static DiskConfig Parse(string text)
    {
        string[] parts = text.Split(',');
        if (parts[0].Length == 0)
        {
            throw new ArgumentException($"disk '{text}': no path");
        }

        bool readOnly = false;
        string? serial = null;
        foreach (string option in parts.Skip(1))
        {
            if (option is "readonly" or "ro")
            {
                readOnly = true;
            }
            else if (option.StartsWith("serial=", StringComparison.Ordinal) && option.Length > 7)
            {
                serial = option[7..];
            }
            else
            {
                throw new ArgumentException($"disk '{text}': unknown option '{option}' (expected readonly or serial=ID)");
            }
        }

        return new DiskConfig(parts[0], readOnly, serial);
    }
}
