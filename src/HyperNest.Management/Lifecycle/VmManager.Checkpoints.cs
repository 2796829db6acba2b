using System.Globalization;
using HyperNest.Kvm;
using HyperNest.Management.Accelerators;
using HyperNest.Management.Checkpoints;
using HyperNest.Management.Model;
using HyperNest.Management.Nested;
using HyperNest.Management.Store;
using HyperNest.Management.Worker;
using HyperNest.Vmm.Devices.Virtio;
using HyperNest.Vmm.Disks;
using HyperNest.Vmm.SavedStates;

namespace HyperNest.Management.Lifecycle;

/// <summary>
/// Standard checkpoints (Checkpoint-VM, Get-VMSnapshot, Restore-VMSnapshot, Remove-VMSnapshot, Rename-VMSnapshot).
/// A checkpoint freezes each writable disk's present image and puts a new qcow2 overlay in front of it (the VM's disk
/// from then on); of a running VM the worker does that while the VM is paused, after writing its state and memory.
/// Every operation runs under the VM's lock; the tree (<see cref="CheckpointTree"/>) and config.json are written
/// atomically, the tree first where a file is made and last where one is deleted.
/// </summary>
public sealed partial class VmManager
{
    /// <summary>Get-VMSnapshot: the VM's checkpoints, oldest first.</summary>
    public IReadOnlyList<CheckpointInfo> GetCheckpoints(string name)
    {
        VmConfiguration config = Find(name);
        CheckpointTree tree = CheckpointTree.Read(Store.Folder(config.Id));
        return [.. tree.Checkpoints.OrderBy(c => c.CreationTime).Select(c => CheckpointInfo.Of(config, tree, c))];
    }

    /// <summary>
    /// Checkpoint-VM: a checkpoint named <paramref name="checkpointName"/> (default: Hyper-V's "VM - (date - time)")
    /// of a VM that is Off (its disks and settings), Saved (also its saved state) or Running/Paused (also its memory
    /// and device state, written by its worker). Refused on the emulated accelerator while running (not supported
    /// yet) and for a running VM that exposes virtualization extensions (as Hyper-V does).
    /// </summary>
    public CheckpointInfo Checkpoint(string name, string? checkpointName = null)
    {
        using FileLock vmLock = LockForChange(name, out VmConfiguration config, out VmFolder folder);
        RuntimeStatus status = RuntimeStatus.Read(folder);
        bool running = status.State is VmState.Running or VmState.Paused;
        EnsureCheckpointable(config, status, running);

        DateTimeOffset now = DateTimeOffset.Now;
        string label = checkpointName is null ? DefaultCheckpointName(config.Name, now) : CheckpointName(checkpointName);
        CheckpointTree tree = CheckpointTree.Read(folder);
        var id = Guid.NewGuid();
        HostFileAccess access = Store.Access;
        SavedStatePaths state = folder.CheckpointState(id, access);
        Store.CreateFolders(Store.VmsDirectory, folder.Path, folder.CheckpointsDirectory, folder.CheckpointDisksDirectory, folder.CheckpointFolder(id));
        List<DiskOverlay> overlays = [.. config.HardDrives.Where(d => !d.ReadOnly)
            .Select(d => new DiskOverlay(CheckpointImages.NewOverlayPath(folder, d.Path), d.Path, DiskImage.FormatFromFileName(d.Path)))];
        VmConfiguration next = config with
        {
            HardDrives = [.. config.HardDrives.Select(d => overlays.FirstOrDefault(o => o.BackingPath == d.Path) is { } o ? d with { Path = o.Path } : d)],
        };
        var record = new VmCheckpoint
        {
            Id = id, Name = label, ParentId = tree.CurrentId, CreationTime = now, Configuration = config,
            HasSavedState = running || status.State == VmState.Saved,
        };

        bool inUse = false;
        try
        {
            if (running)
            {
                Command(config, new CheckpointRequest
                {
                    StateFile = state.State, MemoryFile = state.Memory,
                    Disks = [.. overlays.Select(o => new CheckpointDisk(config.HardDrives.ToList().FindIndex(d => d.Path == o.BackingPath), o.BackingPath, o.Path))],
                });
                inUse = true;
            }
            else
            {
                foreach (DiskOverlay overlay in overlays)
                {
                    CheckpointImages.CreateOverlay(overlay.Path, overlay.BackingPath, overlay.BackingFormat, access);
                }

                if (status.State == VmState.Saved)
                {
                    File.Copy(folder.SavedStateFile, state.State);
                    HardLink.CreateOrCopy(folder.SavedMemoryFile, state.Memory);
                }
            }

            WriteTree(folder, tree with { Checkpoints = [.. tree.Checkpoints, record], Overlays = [.. tree.Overlays, .. overlays], CurrentId = id });
            bool configSaved = false;
            try
            {
                Store.Save(next);
                configSaved = true;
                if (status.State == VmState.Saved)
                {
                    // The VM's own saved state now runs on the overlays (same content); the checkpoint's copy keeps the frozen images.
                    CheckpointImages.RetargetSavedState(folder.SavedStateFile, folder.SavedStateFile, next, access);
                }
            }
            catch when (!inUse)
            {
                if (configSaved)
                {
                    Store.Save(config);
                }

                WriteTree(folder, tree);
                throw;
            }
        }
        catch (Exception e) when (!inUse)
        {
            foreach (DiskOverlay overlay in overlays)
            {
                File.Delete(overlay.Path);
            }

            Directory.Delete(folder.CheckpointFolder(id), recursive: true);
            throw Checkpointing(config.Name, e);
        }

        return CheckpointInfo.Of(next, CheckpointTree.Read(folder), record);
    }

    /// <summary>
    /// Restore-VMSnapshot: the VM (Off or Saved; a Saved VM's state is discarded, as Hyper-V does) gets the
    /// checkpoint's configuration with new overlays on its frozen images, and, when the checkpoint holds a saved
    /// state, becomes Saved with it (Start-VM continues from the checkpoint). The overlays it had are deleted; no
    /// frozen image is written. <paramref name="checkpoint"/> is a name (it must name one checkpoint) or an id.
    /// </summary>
    public CheckpointInfo RestoreCheckpoint(string name, string checkpoint)
    {
        using FileLock vmLock = LockForChange(name, out VmConfiguration config, out VmFolder folder);
        VmState vmState = RuntimeStatus.Read(folder).State;
        if (vmState is not (VmState.Off or VmState.Saved))
        {
            NestedRules.EnsureAllowed(config, NestedRestrictedOperation.ApplyCheckpointToRunningVm);
            throw new VmStateException(
                $"Cannot apply a checkpoint to '{config.Name}' while it is {vmState}: turn it off first (Stop-VM -TurnOff, or hnest vm stop --turn-off); its present state would be lost.", vmState);
        }

        CheckpointTree tree = CheckpointTree.Read(folder);
        VmCheckpoint target = One(config.Name, tree, checkpoint);
        HostFileAccess access = Store.Access;
        List<DiskOverlay> overlays = [.. target.Configuration.HardDrives.Where(d => !d.ReadOnly)
            .Select(d => new DiskOverlay(CheckpointImages.NewOverlayPath(folder, d.Path), d.Path, DiskImage.FormatFromFileName(d.Path)))];
        VmConfiguration next = target.Configuration with
        {
            Id = config.Id, Name = config.Name, CreationTime = config.CreationTime,
            HardDrives = [.. target.Configuration.HardDrives.Select(d => overlays.FirstOrDefault(o => o.BackingPath == d.Path) is { } o ? d with { Path = o.Path } : d)],
        };
        bool treeWritten = false;
        try
        {
            Store.CreateFolders(Store.VmsDirectory, folder.Path, folder.CheckpointsDirectory, folder.CheckpointDisksDirectory);
            foreach (DiskOverlay overlay in overlays)
            {
                CheckpointImages.CreateOverlay(overlay.Path, overlay.BackingPath, overlay.BackingFormat, access);
            }

            if (target.HasSavedState)
            {
                // Memory first, then the state file (it makes the VM Saved); both new names, so the checkpoint keeps its own.
                SavedStatePaths saved = folder.CheckpointState(target.Id, access);
                string memory = folder.SavedMemoryFile + ".partial";
                File.Delete(memory);
                HardLink.CreateOrCopy(saved.Memory, memory);
                File.Move(memory, folder.SavedMemoryFile, overwrite: true);
                CheckpointImages.RetargetSavedState(saved.State, folder.SavedStateFile, next, access);
            }
            else
            {
                folder.DeleteSavedState();
            }

            WriteTree(folder, tree with { Overlays = [.. tree.Overlays, .. overlays], CurrentId = target.Id });
            treeWritten = true;
            Store.Save(next);
        }
        catch (Exception e)
        {
            if (treeWritten)
            {
                WriteTree(folder, tree);
            }

            foreach (DiskOverlay overlay in overlays)
            {
                File.Delete(overlay.Path);
            }

            throw Checkpointing(config.Name, e);
        }

        // What the VM ran on before is no longer referenced: its overlays go.
        var disks = new CheckpointDisks(this, folder, CheckpointTree.Read(folder), next, running: false);
        foreach (VmHardDiskDrive disk in config.HardDrives)
        {
            disks.Tidy(disk.Path);
        }

        return CheckpointInfo.Of(next, disks.Tree, target);
    }

    /// <summary>
    /// Remove-VMSnapshot: every checkpoint <paramref name="checkpoint"/> names (or, with
    /// <paramref name="includeChildren"/>, also all below them) leaves the tree; its saved state is deleted and its
    /// disk changes merged so nothing is lost for its children (<see cref="CheckpointDisks.Tidy"/>). A merge into a
    /// running VM's disk chain is done by its worker, with the disk closed for the time of the merge.
    /// </summary>
    public void RemoveCheckpoint(string name, string checkpoint, bool includeChildren = false)
    {
        using FileLock vmLock = LockForChange(name, out VmConfiguration config, out VmFolder folder);
        RuntimeStatus status = RuntimeStatus.Read(folder);
        if (status.State is VmState.Starting or VmState.Stopping)
        {
            throw new VmStateException($"Cannot remove a checkpoint of '{config.Name}' while it is {status.State}: {VmStateMachine.InvalidStateMessage}", status.State);
        }

        CheckpointTree tree = CheckpointTree.Read(folder);
        IReadOnlyList<VmCheckpoint> named = Named(config.Name, tree, checkpoint);
        var disks = new CheckpointDisks(this, folder, tree, config, status.State is VmState.Running or VmState.Paused) { SavedState = status.State == VmState.Saved };
        foreach (Guid id in named.SelectMany(c => includeChildren ? tree.Subtree(c.Id) : [c]).Select(c => c.Id).Distinct().ToList())
        {
            disks.Remove(id);
        }
    }

    /// <summary>Rename-VMSnapshot: every checkpoint <paramref name="checkpoint"/> names gets <paramref name="newName"/>.</summary>
    public IReadOnlyList<CheckpointInfo> RenameCheckpoint(string name, string checkpoint, string newName)
    {
        string label = CheckpointName(newName);
        using FileLock vmLock = LockForChange(name, out VmConfiguration config, out VmFolder folder);
        CheckpointTree tree = CheckpointTree.Read(folder);
        HashSet<Guid> ids = [.. Named(config.Name, tree, checkpoint).Select(c => c.Id)];
        tree = tree with { Checkpoints = [.. tree.Checkpoints.Select(c => ids.Contains(c.Id) ? c with { Name = label } : c)] };
        WriteTree(folder, tree);
        return [.. tree.Checkpoints.Where(c => ids.Contains(c.Id)).Select(c => CheckpointInfo.Of(config, tree, c))];
    }

    /// <summary>Hyper-V's default checkpoint name: "VM - (M/d/yyyy - h:mm:ss AM)", in local time.</summary>
    public static string DefaultCheckpointName(string vmName, DateTimeOffset at) =>
        $"{vmName} - ({at.ToString("M/d/yyyy - h:mm:ss tt", CultureInfo.InvariantCulture)})";

    /// <summary>Takes the VM's lock, then reads its config again; refuses a process that may not change its folder.</summary>
    private FileLock LockForChange(string name, out VmConfiguration config, out VmFolder folder)
    {
        Guid id = Find(name).Id;
        FileLock vmLock = Store.LockVm(id);
        try
        {
            config = Store.Load(id);
            folder = Store.Folder(config.Id);
            Store.EnsureCanChange(folder.Path);
            return vmLock;
        }
        catch
        {
            vmLock.Dispose();
            throw;
        }
    }

    internal void WriteTree(VmFolder folder, CheckpointTree tree)
    {
        try
        {
            Store.Writer.Write(folder.CheckpointTreeFile, CheckpointTree.Serialize(tree));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or KvmException)
        {
            throw new VmStoreException($"cannot write the checkpoints of '{folder.Path}': {e.UserMessage()}");
        }
    }

    internal ControlResponse CommandWorker(VmConfiguration config, ControlRequest request) => Command(config, request);

    private static void EnsureCheckpointable(VmConfiguration config, RuntimeStatus status, bool running)
    {
        if (!running && status.State is not (VmState.Off or VmState.Saved))
        {
            throw new VmStateException($"Cannot create a checkpoint of '{config.Name}' while it is {status.State}: {VmStateMachine.InvalidStateMessage}", status.State);
        }

        if (!running)
        {
            return;
        }

        if (status.Record?.Accelerator == AcceleratorParser.Format(Accelerator.Emulated))
        {
            throw new VmOperationException(
                $"Cannot create a checkpoint of '{config.Name}' while it runs on the emulated accelerator: not supported yet (a checkpoint of it while Off works).");
        }

        NestedRules.EnsureAllowed(config, NestedRestrictedOperation.CheckpointRunningVm);
    }

    private static string CheckpointName(string name) =>
        string.IsNullOrWhiteSpace(name) ? throw new VmValidationException("A checkpoint name cannot be empty.") : name.Trim();

    private static IReadOnlyList<VmCheckpoint> Named(string vmName, CheckpointTree tree, string checkpoint) =>
        tree.Named(checkpoint) is { Count: > 0 } named ? named : throw new CheckpointNotFoundException(vmName, checkpoint);

    private static VmCheckpoint One(string vmName, CheckpointTree tree, string checkpoint) => Named(vmName, tree, checkpoint) switch
    {
        [var one] => one,
        var several => throw new VmValidationException(
            $"'{vmName}' has {several.Count} checkpoints named '{checkpoint}': name one by its id ({string.Join(", ", several.Select(c => c.Id))}).")
    };

    /// <summary>A failure of a file operation in the user's words; management's own failures pass as they are.</summary>
    private static Exception Checkpointing(string vmName, Exception e) => e switch
    {
        ManagementException => e,
        DiskException or SavedStateException or IOException or UnauthorizedAccessException or KvmException =>
            new VmOperationException($"the checkpoint operation on '{vmName}' failed and was undone: {e.UserMessage()}"),
        _ => e,
    };
}
