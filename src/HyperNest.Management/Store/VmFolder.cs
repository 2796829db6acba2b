using HyperNest.Kvm;

namespace HyperNest.Management.Store;

/// <summary>The files of one VM's folder in the store (named by the VM's id).</summary>
public sealed record VmFolder(string Path)
{
    public string ConfigFile => System.IO.Path.Combine(Path, "config.json");

    public string LockFile => System.IO.Path.Combine(Path, "vm.lock");

    /// <summary>Written by the worker: its pid, the VM's live state, and how the last run ended.</summary>
    public string RuntimeFile => System.IO.Path.Combine(Path, "runtime.json");

    /// <summary>The running VM's memory as its worker last reported it (Memory/VmMemoryReport).</summary>
    public string MemoryFile => System.IO.Path.Combine(Path, "memory.json");

    /// <summary>The guest's serial console (COM1) output of the current or last run.</summary>
    public string ConsoleLog => System.IO.Path.Combine(Path, "console.log");

    /// <summary>The worker's own stdout/stderr: a crash message lands here.</summary>
    public string WorkerLog => System.IO.Path.Combine(Path, "worker.log");

    /// <summary>On the emulated accelerator: the emulated host's own console (its kernel and init), for diagnosis.</summary>
    public string EmulatedHostLog => System.IO.Path.Combine(Path, "emulated-host.log");

    public string ControlSocket => System.IO.Path.Combine(Path, "ctl.sock");

    /// <summary>
    /// Save-VM's files: the state file (devices, processors; written last, so it exists only beside a whole memory
    /// file) and the guest's memory. The VM is Saved while the state file exists and no worker runs it.
    /// </summary>
    public string SavedStateFile => System.IO.Path.Combine(Path, "saved.state");

    /// <inheritdoc cref="SavedStateFile"/>
    public string SavedMemoryFile => System.IO.Path.Combine(Path, "saved.memory");

    /// <summary>Which accelerator the saved state was taken on ("kvm", "emulated"): it restores only there.</summary>
    public string SavedAcceleratorFile => System.IO.Path.Combine(Path, "saved.accelerator");

    /// <summary>On the emulated accelerator: the disk the VM inside writes its memory to when it is saved.</summary>
    public string EmulatedSaveArea => System.IO.Path.Combine(Path, "save-area.memory");

    public bool HasSavedState => File.Exists(SavedStateFile);

    /// <summary>The saved-state files, made with <paramref name="access"/> (the store's).</summary>
    public SavedStatePaths SavedState(HostFileAccess access) => new(SavedStateFile, SavedMemoryFile, access);

    /// <summary>Checkpoints: the tree (tree.json), a folder per checkpoint with its saved state, and the overlays (disks/).</summary>
    public string CheckpointsDirectory => System.IO.Path.Combine(Path, "checkpoints");

    /// <summary>The checkpoint records, the VM's current checkpoint and the overlays HyperNest made (Checkpoints/CheckpointTree).</summary>
    public string CheckpointTreeFile => System.IO.Path.Combine(CheckpointsDirectory, "tree.json");

    /// <summary>The qcow2 overlays checkpoints put in front of the VM's disks.</summary>
    public string CheckpointDisksDirectory => System.IO.Path.Combine(CheckpointsDirectory, "disks");

    public string CheckpointFolder(Guid id) => System.IO.Path.Combine(CheckpointsDirectory, id.ToString());

    /// <summary>The saved state a checkpoint holds (taken running, paused or saved).</summary>
    public SavedStatePaths CheckpointState(Guid id, HostFileAccess access) =>
        new(System.IO.Path.Combine(CheckpointFolder(id), "saved.state"), System.IO.Path.Combine(CheckpointFolder(id), "saved.memory"), access);

    /// <summary>Whether <paramref name="path"/> is an overlay HyperNest made in this folder (it may delete it).</summary>
    public bool HoldsOverlay(string path) =>
        System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path)) == System.IO.Path.GetFullPath(CheckpointDisksDirectory);

    /// <summary>Discards a saved state (Remove-VMSavedState, a turn-off of a saved VM): the state file first.</summary>
    public void DeleteSavedState()
    {
        File.Delete(SavedStateFile);
        File.Delete(SavedMemoryFile);
        File.Delete(SavedAcceleratorFile);
    }

    /// <summary>The accelerator a saved state was taken on, or null when not recorded.</summary>
    public string? SavedAccelerator => File.Exists(SavedAcceleratorFile) ? File.ReadAllText(SavedAcceleratorFile).Trim() : null;
}
