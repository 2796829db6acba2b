using System.Text.RegularExpressions;
using HyperNest.Kvm;
using HyperNest.Management.Model;
using HyperNest.Management.Store;
using HyperNest.Vmm.Devices.Virtio;
using HyperNest.Vmm.Disks;
using HyperNest.Vmm.Disks.Qcow2;
using HyperNest.Vmm.SavedStates;

namespace HyperNest.Management.Checkpoints;

/// <summary>
/// The file operations of checkpoints, the same whether management runs them (a VM that is off or saved) or the
/// worker does (a running VM, its disk closed meanwhile): overlays made, merged into their backing files, and saved
/// states pointed at the images a VM now has.
/// </summary>
public static partial class CheckpointImages
{
    /// <summary>Where a new overlay on <paramref name="diskPath"/> goes: checkpoints/disks/&lt;stem&gt;_&lt;new id&gt;.qcow2.</summary>
    public static string NewOverlayPath(VmFolder folder, string diskPath)
    {
        string stem = OverlaySuffix().Replace(Path.GetFileNameWithoutExtension(diskPath), "");
        return Path.Combine(folder.CheckpointDisksDirectory, $"{stem}_{Guid.NewGuid():N}{DiskImage.Qcow2Extension}");
    }

    /// <summary>
    /// Makes a qcow2 overlay at <paramref name="overlay"/> whose backing file is <paramref name="backing"/> (absolute,
    /// format recorded), as wide as <paramref name="access"/> allows (it will hold the guest's writes).
    /// Throws <see cref="DiskException"/>; nothing is left behind then.
    /// </summary>
    public static void CreateOverlay(string overlay, string backing, DiskFormat backingFormat, HostFileAccess access)
    {
        Qcow2Image.Create(overlay, null, Path.GetFullPath(backing), backingFormat);
        try
        {
            access.Conform(overlay);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or KvmException)
        {
            File.Delete(overlay);
            throw new DiskException(overlay, $"cannot be given the store's access ({e.UserMessage()})", e);
        }
    }

    /// <summary>
    /// Writes the overlay <paramref name="overlay"/> into its backing file <paramref name="into"/>
    /// (<see cref="Qcow2Image.Commit"/>), then makes each image of <paramref name="rebase"/> (the overlay's own
    /// children) name <paramref name="into"/> as its backing file: it reads as the overlay did. The overlay is left for
    /// the caller to delete. None of the files may be open. A failure part-way leaves every image readable as before:
    /// the commit changes only what the overlay covers, and a rebased child reads the same from either file.
    /// </summary>
    public static void Merge(string overlay, string into, DiskFormat intoFormat, IReadOnlyList<string> rebase)
    {
        Qcow2Image.Commit(overlay);
        foreach (string child in rebase)
        {
            Qcow2Image.ChangeBackingFile(child, into, intoFormat);
        }
    }

    /// <summary>
    /// Rewrites the saved state at <paramref name="statePath"/> (or writes it to <paramref name="targetPath"/>) with
    /// the disks of <paramref name="config"/> in place of its own, disk for disk (serials and writability kept), and
    /// checksums it again: the state of a VM whose disks are now other images with the same content.
    /// Throws <see cref="SavedStateException"/> when it cannot be read or its disks do not match in number.
    /// </summary>
    public static void RetargetSavedState(string statePath, string targetPath, VmConfiguration config, HostFileAccess access)
    {
        VmSavedState state = SavedStateFile.Read(statePath);
        IReadOnlyList<SavedDisk> disks = state.Machine.Disks;
        if (disks.Count != config.HardDrives.Count)
        {
            throw new SavedStateException($"the saved state '{statePath}' has {disks.Count} disks; the VM has {config.HardDrives.Count}");
        }

        state = state with
        {
            Machine = state.Machine with
            {
                Disks = [.. disks.Select((d, i) => d with { Path = Path.GetFullPath(config.HardDrives[i].Path), Format = DiskImage.FormatFromFileName(config.HardDrives[i].Path) })],
            },
        };
        SavedStateFile.Write(targetPath, state, access);
    }

    [GeneratedRegex("_[0-9a-f]{32}$")]
    private static partial Regex OverlaySuffix();
}
