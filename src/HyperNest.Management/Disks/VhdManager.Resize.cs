using HyperNest.Vmm.Disks.Qcow2;

namespace HyperNest.Management.Disks;

/// <summary>Resize-VHD: grow, or shrink down to what the disk holds.</summary>
public sealed partial class VhdManager
{
    /// <summary>
    /// Resize-VHD -SizeBytes: sets the disk's size (a positive multiple of 512). Growing adds zeros (a raw file's
    /// new tail is sparse). Shrinking is refused below <see cref="VirtualHardDisk.MinimumSize"/>: it would cut data. A
    /// differencing disk grows only when its parent is no larger (else the parent's data past its end would show).
    /// Refused while a VM that is not off has the disk attached, or a checkpoint depends on it; VHDX and VHD are
    /// converted first. Throws <see cref="VirtualHardDiskException"/>.
    /// </summary>
    public VirtualHardDisk Resize(string path, long sizeBytes)
    {
        string full = ExistingFile(path, "virtual hard disk");
        long size = ValidSize(sizeBytes);
        return ResizeTo(full, size, Describe(full, FormatOf(full), 0));
    }

    /// <summary>Resize-VHD -ToMinimumSize: shrinks the disk to its <see cref="VirtualHardDisk.MinimumSize"/> (at least one sector).</summary>
    public VirtualHardDisk ResizeToMinimum(string path)
    {
        string full = ExistingFile(path, "virtual hard disk");
        VirtualHardDisk disk = Describe(full, FormatOf(full), 0);
        long minimum = disk.MinimumSize
            ?? throw Invalid($"cannot tell the minimum size of '{full}' ({(disk.ParentPath is null ? disk.VhdFormat.ToString() : $"its parent '{disk.ParentPath}' cannot be read")})");
        return ResizeTo(full, Math.Max(minimum, SectorSize), disk);
    }

    private VirtualHardDisk ResizeTo(string full, long size, VirtualHardDisk disk)
    {
        if (disk.VhdFormat is not (VhdFormat.Raw or VhdFormat.Qcow2))
        {
            throw Invalid($"HyperNest resizes raw and qcow2 disks; '{full}' is {disk.VhdFormat} (convert it with Convert-VHD first)");
        }

        EnsureUnused(full, "resize");
        if (size < disk.Size && (disk.MinimumSize is not { } minimum || size < minimum))
        {
            throw Invalid($"cannot shrink '{full}' to {size} bytes: it holds data up to byte {disk.MinimumSize?.ToString() ?? "(unknown: its parent cannot be read)"}, which a shrink would cut (its MinimumSize)");
        }

        if (size > disk.Size && disk.ParentPath is { } parent && Describe(parent, FormatOf(parent), 0).Size > disk.Size)
        {
            throw Invalid($"cannot grow '{full}': its parent '{parent}' is larger than it, and the parent's data past its end would show through");
        }

        Reading(full, () =>
        {
            if (disk.VhdFormat == VhdFormat.Qcow2)
            {
                Qcow2Image.Resize(full, size);
            }
            else
            {
                using var file = new FileStream(full, FileMode.Open, FileAccess.Write, FileShare.None);
                file.SetLength(size);
                file.Flush(flushToDisk: true);
            }

            return 0;
        });
        return Get(full);
    }
}
