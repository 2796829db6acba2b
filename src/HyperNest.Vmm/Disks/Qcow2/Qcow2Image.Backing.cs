using HyperNest.Vmm.Devices.Virtio;

namespace HyperNest.Vmm.Disks.Qcow2;

/// <summary>The backing file: where it is, in which format, and opening the chain below an image.</summary>
public sealed partial class Qcow2Image
{
    /// <summary>
    /// The backing file named in <paramref name="header"/>, relative to the folder of <paramref name="path"/> unless
    /// absolute, and its format: the backing-format header extension, else the file name's rule (never the content).
    /// </summary>
    private static (string? Path, DiskFormat? Format) ResolveBacking(string path, Qcow2Header header)
    {
        if (header.BackingFileName is not { } name)
        {
            return (null, null);
        }

        string resolved = ResolveRelativeTo(path, name);
        if (header.BackingFormatName is not { } formatName)
        {
            return (resolved, DiskImage.FormatFromFileName(resolved));
        }

        return DiskImage.TryParseFormat(formatName, out DiskFormat format)
            ? (resolved, format)
            : throw new DiskException(path, $"names a backing file of format '{formatName}'; HyperNest reads raw and qcow2 backing files");
    }

    /// <summary>A backing file name as the format defines it: absolute, or relative to the image's own folder.</summary>
    private static string ResolveRelativeTo(string imagePath, string backingName) =>
        System.IO.Path.GetFullPath(backingName, System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(imagePath))!);

    /// <summary>
    /// Opens the backing file read-only, refusing a chain that comes back to an image above it or goes deeper than
    /// <see cref="MaxBackingChainDepth"/>. A failure below is reported once, at the top image, naming the file at fault.
    /// </summary>
    private static IDiskImage OpenBacking(string path, string backingPath, DiskFormat format, IReadOnlyList<string> chain)
    {
        string[] above = [.. chain, System.IO.Path.GetFullPath(path)];
        if (above.Contains(backingPath, StringComparer.Ordinal))
        {
            throw new DiskException(path, $"its backing chain loops: backing file '{backingPath}' is also above it");
        }

        if (above.Length > MaxBackingChainDepth)
        {
            throw new DiskException(path, $"its backing chain is deeper than {MaxBackingChainDepth} images");
        }

        try
        {
            return format == DiskFormat.Qcow2
                ? Open(backingPath, readOnly: true, above, openBacking: true)
                : new RawDiskImage(backingPath, readOnly: true);
        }
        catch (DiskException e) when (chain.Count == 0)
        {
            throw new DiskException(path, $"backing file '{e.Path}': {e.Reason}", e);
        }
    }
}
