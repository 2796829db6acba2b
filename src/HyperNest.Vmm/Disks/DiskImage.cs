using HyperNest.Vmm.Devices.Virtio;
using HyperNest.Vmm.Disks.Qcow2;

namespace HyperNest.Vmm.Disks;

/// <summary>
/// Opens a disk image in a format decided without looking at its content. A file's content is the guest's to write:
/// were the format probed, a raw disk whose guest wrote a qcow2 header (naming a host file as its backing file) would
/// open as that qcow2 on the next boot. So the format is the one the user gave, else the file name's: <c>.qcow2</c>
/// is qcow2, anything else is raw. A qcow2 file is then checked to be one (its magic) before it is used.
/// </summary>
public static class DiskImage
{
    /// <summary>The file-name extension that makes a disk qcow2 when no format is given.</summary>
    public const string Qcow2Extension = ".qcow2";

    /// <summary>The format a disk has when none is given: qcow2 for a <c>.qcow2</c> file name (any case), else raw.</summary>
    public static DiskFormat FormatFromFileName(string path) =>
        path.EndsWith(Qcow2Extension, StringComparison.OrdinalIgnoreCase) ? DiskFormat.Qcow2 : DiskFormat.Raw;

    /// <summary>The format a user or a qcow2 header names (<c>raw</c>, <c>qcow2</c>); false for any other.</summary>
    public static bool TryParseFormat(string name, out DiskFormat format)
    {
        (bool known, format) = name switch
        {
            "raw" => (true, DiskFormat.Raw),
            "qcow2" => (true, DiskFormat.Qcow2),
            _ => (false, DiskFormat.Raw),
        };
        return known;
    }

    /// <summary>The name <see cref="TryParseFormat"/> reads back: <c>raw</c> or <c>qcow2</c>.</summary>
    public static string FormatName(DiskFormat format) => format == DiskFormat.Qcow2 ? "qcow2" : "raw";

    /// <summary>
    /// Opens <paramref name="path"/> as <paramref name="format"/> (null: <see cref="FormatFromFileName"/>). A writable
    /// image is locked against any other opener; a read-only one shares its lock with other readers. Throws
    /// <see cref="DiskException"/> naming the file and the problem.
    /// </summary>
    public static IDiskImage Open(string path, DiskFormat? format = null, bool readOnly = false) =>
        Format(path, format) == DiskFormat.Qcow2
            ? Qcow2Image.Open(path, readOnly)
            : new RawDiskImage(path, readOnly);

    /// <summary>
    /// The warning for a disk of <paramref name="virtualSize"/> bytes whose last sector is partial, or null when the
    /// size is a whole number of sectors: virtio-blk counts capacity in 512-byte sectors (virtio 1.2 §5.2.4), so the
    /// guest never sees the tail. Names the unreachable bytes.
    /// </summary>
    public static string? UnreachableTail(string path, long virtualSize)
    {
        long tail = virtualSize % Block.SectorSize;
        if (tail == 0)
        {
            return null;
        }

        long sectors = virtualSize / Block.SectorSize;
        long reachable = sectors * Block.SectorSize;
        string sees = sectors == 0 ? "no sector" : $"{reachable} bytes ({sectors} sector{(sectors == 1 ? "" : "s")})";
        return $"disk '{path}' is {virtualSize} bytes, not a multiple of {Block.SectorSize}: the guest sees {sees} and cannot reach its last {tail} bytes (bytes {reachable} to {virtualSize - 1})";
    }

    /// <summary>
    /// <see cref="UnreachableTail(string, long)"/> of the image at <paramref name="path"/>, opened read-only in
    /// <paramref name="format"/> (null: its file name's); null too when it cannot be opened (the attach or the start
    /// says why).
    /// </summary>
    public static string? UnreachableTail(string path, DiskFormat? format = null)
    {
        try
        {
            using IDiskImage image = Format(path, format) == DiskFormat.Qcow2 ? Qcow2Image.OpenWithoutBacking(path) : new RawDiskImage(path, readOnly: true);
            return UnreachableTail(path, image.VirtualSize);
        }
        catch (Exception e) when (e is DiskException or IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static DiskFormat Format(string path, DiskFormat? format) => format ?? FormatFromFileName(path);
}
