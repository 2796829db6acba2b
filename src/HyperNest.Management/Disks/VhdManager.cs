using System.Text.Json;
using HyperNest.Kvm;
using HyperNest.Management.Checkpoints;
using HyperNest.Management.Model;
using HyperNest.Management.Store;
using HyperNest.Management.Worker;
using HyperNest.Vmm.Devices.Virtio;
using HyperNest.Vmm.Disks;
using HyperNest.Vmm.Disks.Qcow2;
using Microsoft.Win32.SafeHandles;

namespace HyperNest.Management.Disks;

/// <summary>
/// Virtual hard disk files, Hyper-V's way (New-VHD, Get-VHD, Resize-VHD, Convert-VHD; <c>hnest disk</c>): both front
/// ends call this, so every rule is written once. The format is the file name's (<see cref="VhdFormat"/>); HyperNest
/// makes and reads raw and qcow2 itself and hands VHDX and VHD to qemu-img. The store is read to say which VMs use
/// a disk and to refuse changing one a VM is using or a checkpoint depends on.
/// </summary>
public sealed partial class VhdManager(VmStore store)
{
    /// <summary>Every size is a whole number of these: the sector virtio-blk counts in.</summary>
    public const long SectorSize = Block.SectorSize;

    private const int MaxParentDepth = Qcow2Image.MaxBackingChainDepth;

    /// <summary>The format a file name gives: .qcow2, .vhdx, .vhd (any case), else raw.</summary>
    public static VhdFormat FormatOf(string path) => System.IO.Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".qcow2" => VhdFormat.Qcow2,
        ".vhdx" => VhdFormat.VHDX,
        ".vhd" => VhdFormat.VHD,
        _ => VhdFormat.Raw,
    };

    /// <summary>
    /// The warning to give when <paramref name="path"/> is attached and its size is not a multiple of 512 (the
    /// guest cannot reach the tail), else null (null too when it cannot be read: the attach or start says why).
    /// </summary>
    public static string? UnreachableTailWarning(string path) => DiskImage.UnreachableTail(System.IO.Path.GetFullPath(path));

    /// <summary>
    /// A disk file a VM may attach, as its full path: it exists, and it is not a VHDX or VHD, which a VM would read as
    /// raw bytes (it is converted first). Throws <see cref="VmValidationException"/>.
    /// </summary>
    public static string Attachable(string path)
    {
        string full = VmValidation.ExistingFile(path, "disk image")!;
        VhdFormat format = FormatOf(full);
        return format is VhdFormat.Raw or VhdFormat.Qcow2
            ? full
            : throw new VmValidationException($"'{full}' is a {format} disk, which HyperNest does not run: convert it to qcow2 first (Convert-VHD, or hnest disk convert).");
    }

    /// <summary>Get-VHD: what the file at <paramref name="path"/> is. Throws <see cref="VirtualHardDiskException"/>.</summary>
    public VirtualHardDisk Get(string path)
    {
        string full = ExistingFile(path, "virtual hard disk");
        return Describe(full, FormatOf(full), 0) with { AttachedTo = [.. UsersOf(full).Select(u => u.Config.Name)] };
    }

    /// <summary>
    /// New-VHD: a fixed disk is a raw file with all its space allocated; a dynamic one an empty qcow2 image; a
    /// differencing one a qcow2 image whose backing file is the parent (absolute path, its format recorded). The name
    /// must give the type's format. On any failure no file is left.
    /// </summary>
    public VirtualHardDisk New(NewVhdOptions options)
    {
        string full = NewFile(options.Path);
        VhdFormat format = FormatOf(full);
        VhdFormat wanted = options.Type == VhdType.Fixed ? VhdFormat.Raw : VhdFormat.Qcow2;
        if (format != wanted)
        {
            throw Invalid(options.Type == VhdType.Fixed
                ? $"'{full}': a fixed disk is a raw image; give it a name that does not end in .qcow2, .vhdx or .vhd (e.g. .img)"
                : $"'{full}': HyperNest's {options.Type.ToString().ToLowerInvariant()} disks are qcow2 images; give it a name ending in .qcow2 (Convert-VHD makes one from a .vhdx or .vhd)");
        }

        int clusterSize = ClusterSize(options.BlockSizeBytes);
        string? parent = null;
        long? size = options.SizeBytes is { } given ? ValidSize(given) : null;
        if (options.Type == VhdType.Differencing)
        {
            parent = ExistingFile(options.ParentPath ?? throw Invalid("a differencing disk needs a parent (-ParentPath)"), "parent disk");
            VirtualHardDisk parentDisk = Describe(parent, FormatOf(parent), 0);
            if (parentDisk.VhdFormat is not (VhdFormat.Raw or VhdFormat.Qcow2))
            {
                throw Invalid($"parent '{parent}' is {parentDisk.VhdFormat}: a differencing disk's parent must be raw or qcow2 (convert it with Convert-VHD first)");
            }

            if (size < parentDisk.Size)
            {
                throw Invalid($"a size of {size} bytes is smaller than the parent '{parent}' ({parentDisk.Size} bytes): the differencing disk would hide its end");
            }
        }
        else if (size is null)
        {
            throw Invalid($"a {options.Type.ToString().ToLowerInvariant()} disk needs a size (-SizeBytes)");
        }
        else if (options.ParentPath is not null)
        {
            throw Invalid("only a differencing disk has a parent");
        }

        CreateOrRemove(full, () =>
        {
            if (options.Type == VhdType.Fixed)
            {
                CreateFixed(full, size!.Value);
            }
            else
            {
                Qcow2Image.Create(full, size, parent, parent is null ? null : DiskImage.FormatFromFileName(parent), clusterSize);
            }
        });
        return Get(full);
    }

    /// <summary>
    /// What the file is, without the VMs using it. <paramref name="format"/> is how it is read: its name's, or for a
    /// parent, what its child records. <paramref name="depth"/> bounds a chain of parents.
    /// </summary>
    private static VirtualHardDisk Describe(string full, VhdFormat format, int depth)
    {
        long fileSize = new FileInfo(full).Length;
        return Reading(full, () => format switch
        {
            VhdFormat.Raw => DescribeRaw(full, fileSize),
            VhdFormat.Qcow2 => DescribeQcow2(full, fileSize, depth),
            _ => DescribeForeign(full, format, fileSize),
        });
    }

    private static VirtualHardDisk DescribeRaw(string full, long fileSize)
    {
        using SafeFileHandle file = File.OpenHandle(full, FileMode.Open, FileAccess.Read, FileShare.Read);
        long size = FileSize.Of(file);
        return new VirtualHardDisk
        {
            Path = full,
            VhdFormat = VhdFormat.Raw,
            VhdType = VhdType.Fixed,
            FileSize = fileSize,
            Size = size,
            MinimumSize = RoundUp(RawImageData.End(file, size)),
        };
    }

    private static VirtualHardDisk DescribeQcow2(string full, long fileSize, int depth)
    {
        using Qcow2Image image = Qcow2Image.OpenWithoutBacking(full);
        long? minimum = image.AllocatedDataEnd;
        if (image.BackingFilePath is { } parent)
        {
            // What the parent shows through up to this disk's end is data too.
            long? parentMinimum = depth < MaxParentDepth && File.Exists(parent)
                ? Describe(parent, image.BackingFormat == DiskFormat.Qcow2 ? VhdFormat.Qcow2 : VhdFormat.Raw, depth + 1).MinimumSize
                : null;
            minimum = parentMinimum is { } shown ? Math.Max(minimum.Value, Math.Min(shown, image.VirtualSize)) : null;
        }

        return new VirtualHardDisk
        {
            Path = full,
            VhdFormat = VhdFormat.Qcow2,
            VhdType = image.BackingFilePath is null ? VhdType.Dynamic : VhdType.Differencing,
            FileSize = fileSize,
            Size = image.VirtualSize,
            MinimumSize = minimum is { } m ? RoundUp(m) : null,
            BlockSize = image.ClusterSize,
            ParentPath = image.BackingFilePath,
        };
    }

    /// <summary>A VHDX or VHD, as qemu-img reads it: its size; fixed when the file holds the whole disk.</summary>
    private static VirtualHardDisk DescribeForeign(string full, VhdFormat format, long fileSize)
    {
        string json = QemuImgTool.Run($"'{full}' cannot be read as {format}", "info", "--output=json", "-f", QemuImgTool.FormatName(format), full);
        using JsonDocument info = JsonDocument.Parse(json);
        long size = info.RootElement.GetProperty("virtual-size").GetInt64();
        return new VirtualHardDisk
        {
            Path = full,
            VhdFormat = format,
            VhdType = fileSize >= size ? VhdType.Fixed : VhdType.Dynamic,
            FileSize = fileSize,
            Size = size,
            BlockSize = info.RootElement.TryGetProperty("cluster-size", out JsonElement cluster) ? cluster.GetInt32() : 0,
        };
    }

    /// <summary>A raw file of <paramref name="size"/> bytes, all of them allocated (fallocate) and reading as zeros.</summary>
    private static void CreateFixed(string full, long size)
    {
        using var file = new FileStream(full, new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            Share = FileShare.None,
            PreallocationSize = size,
        });
        file.SetLength(size);
        file.Flush(flushToDisk: true);
    }

    /// <summary>Runs <paramref name="create"/>, which makes <paramref name="full"/>; if it fails, the file goes.</summary>
    private static void CreateOrRemove(string full, Action create)
    {
        if (File.Exists(full))
        {
            throw new VirtualHardDiskException($"'{full}' already exists", VirtualHardDiskProblem.Exists);
        }

        try
        {
            Reading(full, () =>
            {
                create();
                return 0;
            });
        }
        catch
        {
            File.Delete(full);
            throw;
        }
    }

    /// <summary>The VMs with <paramref name="full"/> attached now, with their state.</summary>
    private IEnumerable<(VmConfiguration Config, VmState State)> UsersOf(string full) =>
        store.List().Vms
            .Where(vm => vm.HardDrives.Any(d => d.Path == full))
            .Select(vm => (vm, RuntimeStatus.Read(store.Folder(vm.Id)).State));

    /// <summary>
    /// Refuses to change <paramref name="full"/> while a VM that is not off has it attached (a running one has it
    /// open; a saved one's state records its size), or while a VM's checkpoint froze it or built on it.
    /// </summary>
    private void EnsureUnused(string full, string change)
    {
        foreach ((VmConfiguration config, VmState state) in UsersOf(full).Where(u => u.State != VmState.Off))
        {
            throw new VirtualHardDiskException(
                $"cannot {change} '{full}': it is attached to '{config.Name}', which is {state}; turn the VM off first", VirtualHardDiskProblem.InUse);
        }

        foreach (VmConfiguration vm in store.List().Vms)
        {
            if (CheckpointTree.Read(store.Folder(vm.Id)).DependsOn(full))
            {
                throw new VirtualHardDiskException(
                    $"cannot {change} '{full}': a checkpoint of '{vm.Name}' depends on it (remove the checkpoints first)", VirtualHardDiskProblem.InUse);
            }
        }
    }

    /// <summary>
    /// Refuses to delete <paramref name="full"/> while anything besides VM <paramref name="owner"/> (null: any VM) needs
    /// it: a VM it is attached to, whatever that VM's state; a checkpoint that froze it or built an overlay on it; a disk
    /// attached to a VM whose chain of parents (backing files) holds it. A disk whose chain cannot be read (a running VM
    /// holds it) counts as needing it: deleting is refused rather than guessed. Remove-VM's disk deletion and
    /// Convert-VHD -DeleteSource ask this before they change anything.
    /// </summary>
    public void EnsureDeletable(string full, Guid? owner, string change)
    {
        foreach (VmConfiguration vm in store.List().Vms.Where(vm => vm.Id != owner))
        {
            if (vm.HardDrives.Any(d => d.Path == full))
            {
                throw new VirtualHardDiskException($"cannot {change} '{full}': it is attached to '{vm.Name}'{(owner is null ? "" : " too")}", VirtualHardDiskProblem.InUse);
            }

            if (CheckpointTree.Read(store.Folder(vm.Id)).DependsOn(full))
            {
                throw new VirtualHardDiskException($"cannot {change} '{full}': a checkpoint of '{vm.Name}' depends on it", VirtualHardDiskProblem.InUse);
            }

            foreach (string disk in vm.HardDrives.Select(d => d.Path).Where(p => FormatOf(p) == VhdFormat.Qcow2 && File.Exists(p)))
            {
                if (ParentsOf(disk) is not { } parents)
                {
                    throw new VirtualHardDiskException(
                        $"cannot {change} '{full}': '{vm.Name}' holds '{disk}', whose parents cannot be read while it runs; turn '{vm.Name}' off first",
                        VirtualHardDiskProblem.InUse);
                }

                if (parents.Contains(full))
                {
                    throw new VirtualHardDiskException(
                        $"cannot {change} '{full}': it is the parent of '{disk}', attached to '{vm.Name}'", VirtualHardDiskProblem.InUse);
                }
            }
        }
    }

    /// <summary>The chain of parents of a qcow2 disk, nearest first; null when the chain cannot be read.</summary>
    private static List<string>? ParentsOf(string disk)
    {
        try
        {
            // At MaxParentDepth, Describe reads only the file itself (not its parents' minimum size).
            var parents = new List<string>();
            for (string? next = Describe(disk, VhdFormat.Qcow2, MaxParentDepth).ParentPath; next is not null && parents.Count < MaxParentDepth;)
            {
                parents.Add(next);
                next = FormatOf(next) == VhdFormat.Qcow2 && File.Exists(next) ? Describe(next, VhdFormat.Qcow2, MaxParentDepth).ParentPath : null;
            }

            return parents;
        }
        catch (Exception e) when (e is VirtualHardDiskException or IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Runs a file operation; the disk layer's and the file system's failures become one line about <paramref name="full"/>.</summary>
    private static T Reading<T>(string full, Func<T> action)
    {
        try
        {
            return action();
        }
        catch (DiskException e)
        {
            VirtualHardDiskProblem problem = e.Reason.StartsWith("is in use", StringComparison.Ordinal) ? VirtualHardDiskProblem.InUse
                : e.Reason == "no such file" ? VirtualHardDiskProblem.NotFound : VirtualHardDiskProblem.Invalid;
            throw new VirtualHardDiskException(e.UserMessage(), problem);
        }
        catch (IOException e) when (e is not FileNotFoundException and not DirectoryNotFoundException)
        {
            throw new VirtualHardDiskException($"'{full}' cannot be used: {e.UserMessage()}", IsLocked(e) ? VirtualHardDiskProblem.InUse : VirtualHardDiskProblem.Invalid);
        }
        catch (UnauthorizedAccessException)
        {
            throw new VirtualHardDiskException($"no permission to use '{full}'", VirtualHardDiskProblem.AccessDenied);
        }
    }

    // .NET reports another process's flock on the file as a sharing violation (EWOULDBLOCK).
    private static bool IsLocked(IOException e) => e.HResult == 11 || e.UserMessage().Contains("being used by another process", StringComparison.Ordinal);

    private static string ExistingFile(string path, string what)
    {
        string full = FullPath(path);
        if (Directory.Exists(full))
        {
            throw Invalid($"'{full}' is a folder, not a {what} file");
        }

        return File.Exists(full)
            ? full
            : throw new VirtualHardDiskException($"the {what} '{full}' does not exist", VirtualHardDiskProblem.NotFound);
    }

    /// <summary>A path for a file to make: it must not exist, and its folder must.</summary>
    private static string NewFile(string path)
    {
        string full = FullPath(path);
        if (File.Exists(full) || Directory.Exists(full))
        {
            throw new VirtualHardDiskException($"'{full}' already exists", VirtualHardDiskProblem.Exists);
        }

        string folder = System.IO.Path.GetDirectoryName(full)!;
        return Directory.Exists(folder)
            ? full
            : throw new VirtualHardDiskException($"the folder '{folder}' does not exist", VirtualHardDiskProblem.NotFound);
    }

    private static string FullPath(string path) =>
        string.IsNullOrWhiteSpace(path) ? throw Invalid("no path given") : System.IO.Path.GetFullPath(path);

    /// <summary>A disk size: positive and a whole number of 512-byte sectors (the guest reaches nothing else).</summary>
    private static long ValidSize(long size) =>
        size > 0 && size % SectorSize == 0
            ? size
            : throw Invalid($"a size of {size} bytes is not a positive multiple of {SectorSize} (the disk's sector size)");

    private static int ClusterSize(long? blockSize) => blockSize switch
    {
        null => Qcow2Image.DefaultClusterSize,
        >= 512 and <= 2 << 20 when long.IsPow2(blockSize.Value) => (int)blockSize.Value,
        _ => throw Invalid($"a block size of {blockSize} bytes is not a qcow2 cluster size: a power of two from 512 bytes to 2 MiB"),
    };

    private static long RoundUp(long bytes) => (bytes + SectorSize - 1) / SectorSize * SectorSize;

    private static VirtualHardDiskException Invalid(string message) => new(message, VirtualHardDiskProblem.Invalid);
}
