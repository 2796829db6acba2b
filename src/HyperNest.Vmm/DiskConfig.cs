using HyperNest.Vmm.Disks;

namespace HyperNest.Vmm;

/// <summary>
/// A disk image attached as virtio-blk. <see cref="Format"/> null means the file name decides
/// (<see cref="DiskImage.FormatFromFileName"/>: <c>.qcow2</c> is qcow2, anything else raw); the content never does.
/// </summary>
public sealed record DiskConfig(string Path, bool ReadOnly = false, string? Serial = null, DiskFormat? Format = null)
{
    /// <summary>The format the disk opens in: <see cref="Format"/>, else the file name's.</summary>
    public DiskFormat EffectiveFormat => Format ?? DiskImage.FormatFromFileName(Path);

    /// <summary>Parses the CLI form <c>PATH[,readonly][,serial=ID][,format=raw|qcow2]</c>.</summary>
    public static DiskConfig Parse(string text)
    {
        string[] parts = text.Split(',');
        if (parts[0].Length == 0)
        {
            throw new ArgumentException($"disk '{text}': no path");
        }

        bool readOnly = false;
        string? serial = null;
        DiskFormat? format = null;
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
            else if (option.StartsWith("format=", StringComparison.Ordinal))
            {
                format = DiskImage.TryParseFormat(option[7..], out DiskFormat parsed)
                    ? parsed
                    : throw new ArgumentException($"disk '{text}': unknown format '{option[7..]}' (expected raw or qcow2)");
            }
            else
            {
                throw new ArgumentException($"disk '{text}': unknown option '{option}' (expected readonly, serial=ID or format=raw|qcow2)");
            }
        }

        return new DiskConfig(parts[0], readOnly, serial, format);
    }
}
