using HyperNest.Management.Checkpoints;
using HyperNest.Management.Model;
using HyperNest.Management.Store;
using HyperNest.Management.Worker;
using HyperNest.Vmm.Disks;

namespace HyperNest.Management.Lifecycle;

/// <summary>
/// Removing checkpoints and the images nothing needs any more, for one VM under its lock. The rule for an image F that
/// neither the VM nor a checkpoint references (<see cref="Tidy"/>): with no child, an overlay HyperNest made is
/// deleted (a file the user attached stays); with exactly one child X, X is committed into F and whatever named X
/// names F (its children's backing files, the VM's configuration, checkpoints), then X is deleted; with several, F
/// stays as an internal image. Each step writes the tree and config.json before a file is deleted, so a crash leaves
/// at worst a file nothing names.
/// </summary>
internal sealed class CheckpointDisks(VmManager manager, VmFolder folder, CheckpointTree tree, VmConfiguration config, bool running)
{
    public CheckpointTree Tree { get; private set; } = tree;

    public VmConfiguration Config { get; private set; } = config;

    /// <summary>The VM is Saved: a change of its disks is written into its saved state too.</summary>
    public bool SavedState { get; init; }

    /// <summary>The checkpoint <paramref name="id"/> leaves the tree: its children take its parent, its state goes, its images are tidied.</summary>
    public void Remove(Guid id)
    {
        VmCheckpoint removed = Tree.Checkpoints.First(c => c.Id == id);
        Tree = Tree with
        {
            Checkpoints = [.. Tree.Checkpoints.Where(c => c.Id != id).Select(c => c.ParentId == id ? c with { ParentId = removed.ParentId } : c)],
            CurrentId = Tree.CurrentId == id ? removed.ParentId : Tree.CurrentId,
        };
        manager.WriteTree(folder, Tree);
        string state = folder.CheckpointFolder(id);
        if (Directory.Exists(state))
        {
            Directory.Delete(state, recursive: true);
        }

        foreach (VmHardDiskDrive disk in removed.Configuration.HardDrives.Where(d => !d.ReadOnly))
        {
            Tidy(disk.Path);
        }
    }

    /// <summary>Applies the rule above to <paramref name="path"/> (and, when it is deleted, to its backing file).</summary>
    public void Tidy(string path)
    {
        if (Tree.IsReferenced(path, Config))
        {
            return;
        }

        IReadOnlyList<DiskOverlay> children = Tree.ChildrenOf(path);
        DiskOverlay? own = Tree.Overlays.FirstOrDefault(o => o.Path == path);
        if (children.Count == 0 && own is not null && folder.HoldsOverlay(path))
        {
            Tree = Tree with { Overlays = [.. Tree.Overlays.Where(o => o != own)] };
            manager.WriteTree(folder, Tree);
            File.Delete(path);
            Tidy(own.BackingPath);
        }
        else if (children.Count == 1)
        {
            Merge(children[0], path);
        }
    }

    /// <summary>Commits <paramref name="child"/> into <paramref name="into"/> (its backing file), by the worker when a running disk's chain holds it.</summary>
    private void Merge(DiskOverlay child, string into)
    {
        DiskFormat format = child.BackingFormat;
        string[] rebase = [.. Tree.ChildrenOf(child.Path).Select(o => o.Path)];
        int disk = running ? Config.HardDrives.ToList().FindIndex(d => Tree.Chain(d.Path).Contains(child.Path)) : -1;
        if (disk >= 0)
        {
            manager.CommandWorker(Config, new MergeDiskRequest { Disk = disk, Overlay = child.Path, Into = into, IntoFormat = format, Rebase = rebase });
        }
        else
        {
            CheckpointImages.Merge(child.Path, into, format, rebase);
        }

        VmConfiguration before = Config;
        Tree = Tree.Replace(child.Path, into, format);
        Config = CheckpointTree.ReplaceDisk(Config, child.Path, into);
        manager.WriteTree(folder, Tree);
        if (Config != before)
        {
            manager.Store.Save(Config);
            if (SavedState)
            {
                CheckpointImages.RetargetSavedState(folder.SavedStateFile, folder.SavedStateFile, Config, manager.Store.Access);
            }
        }

        File.Delete(child.Path);
    }
}
