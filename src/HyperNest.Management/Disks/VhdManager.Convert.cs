namespace HyperNest.Management.Disks;

/// <summary>Convert-VHD: a new disk with the same content in another format, by qemu-img.</summary>
public sealed partial class VhdManager
{
    /// <summary>
    /// Convert-VHD: writes the content of <paramref name="path"/> (raw, qcow2, VHDX or VHD, by its name; a
    /// differencing disk with its parents' data) into <paramref name="destinationPath"/> as one whole disk: raw for a
    /// fixed disk, qcow2 for a dynamic one. <paramref name="type"/> null takes the destination name's format;
    /// given, the name must agree. qemu-img converts, into a temporary name in the destination's folder renamed
    /// when whole, so a failed conversion leaves no file. The source must not be in use by a VM that is not off.
    /// <paramref name="deleteSource"/> deletes it after a conversion that succeeded. Throws
    /// <see cref="VirtualHardDiskException"/>.
    /// </summary>
    public VirtualHardDisk Convert(string path, string destinationPath, VhdType? type = null, bool deleteSource = false)
    {
        string source = ExistingFile(path, "virtual hard disk");
        string destination = NewFile(destinationPath);
        VhdFormat from = FormatOf(source), to = FormatOf(destination);
        if (to is not (VhdFormat.Raw or VhdFormat.Qcow2))
        {
            throw Invalid($"'{destination}': HyperNest converts into raw (fixed) and qcow2 (dynamic) disks; give it a name ending in .qcow2, or any other but .vhdx and .vhd for raw");
        }

        if (type is { } asked && asked != (to == VhdFormat.Raw ? VhdType.Fixed : VhdType.Dynamic))
        {
            throw Invalid(asked == VhdType.Differencing
                ? "Convert-VHD makes a whole disk; make a differencing disk with New-VHD -Differencing"
                : $"'{destination}': a {asked.ToString().ToLowerInvariant()} disk is {(asked == VhdType.Fixed ? "raw: give it a name that does not end in .qcow2" : "qcow2: give it a name ending in .qcow2")}");
        }

        EnsureUnused(source, "convert");
        if (deleteSource)
        {
            EnsureDeletable(source, owner: null, "convert and delete");
        }

        string partial = System.IO.Path.Combine(System.IO.Path.GetDirectoryName(destination)!, $".{System.IO.Path.GetFileName(destination)}.{Guid.NewGuid():N}.partial");
        CreateOrRemove(partial, () =>
        {
            // -S 0: a fixed disk asked for by name gets every byte written (allocated), as New-VHD -Fixed does.
            string[] sparse = to == VhdFormat.Raw && type == VhdType.Fixed ? ["-S", "0"] : [];
            QemuImgTool.Run($"cannot convert '{source}' ({from}) into '{destination}'",
                ["convert", "-f", QemuImgTool.FormatName(from), "-O", QemuImgTool.FormatName(to), .. sparse, source, partial]);
            File.Move(partial, destination, overwrite: false);
        });
        if (deleteSource)
        {
            File.Delete(source);
        }

        return Get(destination);
    }
}
