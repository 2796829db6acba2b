using HyperNest.Kvm;
using HyperNest.Management.Checkpoints;
using HyperNest.Management.Model;
using HyperNest.Management.Worker;
using HyperNest.Vmm;
using HyperNest.Vmm.Disks;

namespace HyperNest.Worker;

/// <summary>Checkpoints of the running VM: its state and memory written, its disks moved onto overlays, merges into its disk chain.</summary>
internal sealed partial class VmController
{
    /// <summary>
    /// Checkpoint-VM while the VM runs: pause; write its state and memory (the state names the disks' present images,
    /// which the checkpoint keeps); for each disk, with its image closed, make the overlay on that image and serve the
    /// overlay; resume (unless it was paused). A failure puts back every disk already moved, deletes the overlays and
    /// the state files, resumes, and answers with the error.
    /// </summary>
    private ControlResponse Checkpoint(CheckpointRequest request)
    {
        if (saveTo is null)
        {
            return new ControlResponse { Ok = false, State = reporter.State, Error = "this VM runs in the foreground (hnest run): only a VM of the store has checkpoints" };
        }

        VmState before = reporter.State;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        Vm.Pause();
        var moved = new List<(int Index, DiskConfig Image)>();
        try
        {
            long bytes = Vm.Save(request.StateFile, request.MemoryFile, saveTo.Access);
            foreach (CheckpointDisk disk in request.Disks)
            {
                DiskConfig image = Vm.Config.Disks[disk.Index];
                if (Path.GetFullPath(image.Path) != Path.GetFullPath(disk.Image))
                {
                    throw new InvalidOperationException($"disk {disk.Index} is '{image.Path}' here, not '{disk.Image}': restart the VM");
                }

                Vm.ReplaceDisk(disk.Index, image with { Path = disk.Overlay, Format = DiskFormat.Qcow2 },
                    () => CheckpointImages.CreateOverlay(disk.Overlay, image.Path, image.EffectiveFormat, saveTo.Access));
                moved.Add((disk.Index, image));
            }

            WorkerLog.Checkpointed(log, bytes >> 20, moved.Count, clock.ElapsedMilliseconds);
        }
        catch (Exception e)
        {
            string reason = Undo(request, moved, e);
            WorkerLog.CheckpointFailed(log, reason);
            ResumeUnless(before);
            return new ControlResponse { Ok = false, State = reporter.State, Error = $"the checkpoint failed and was undone: {reason}" };
        }

        ResumeUnless(before);
        return new ControlResponse { State = reporter.State };
    }

    /// <summary>Puts back the disks moved (latest first), deletes every overlay and the state files; returns what went wrong.</summary>
    private string Undo(CheckpointRequest request, List<(int Index, DiskConfig Image)> moved, Exception failure)
    {
        string reason = failure is IOException or UnauthorizedAccessException or InvalidOperationException or Kvm.KvmException or Vmm.Devices.Virtio.DiskException
            ? failure.UserMessage()
            : failure.ToString();
        try
        {
            for (int i = moved.Count - 1; i >= 0; i--)
            {
                Vm.ReplaceDisk(moved[i].Index, moved[i].Image);
            }

            foreach (string file in request.Disks.Select(d => d.Overlay).Append(request.StateFile).Append(request.MemoryFile))
            {
                File.Delete(file);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or Vmm.Devices.Virtio.DiskException)
        {
            reason += $" (and undoing it failed too: {e.UserMessage()})";
        }

        return reason;
    }

    /// <summary>
    /// Remove-VMSnapshot's merge into this VM's disk chain: pause; with the disk closed, commit the overlay into its
    /// backing file and re-point the overlay's children; serve the disk again (from the backing file when the overlay
    /// was the disk itself); resume. A failure reopens the disk as it was.
    /// </summary>
    private ControlResponse MergeDisk(MergeDiskRequest request)
    {
        VmState before = reporter.State;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        Vm.Pause();
        try
        {
            DiskConfig disk = Vm.Config.Disks[request.Disk];
            DiskConfig next = Path.GetFullPath(disk.Path) == Path.GetFullPath(request.Overlay) ? disk with { Path = request.Into, Format = request.IntoFormat } : disk;
            Vm.ReplaceDisk(request.Disk, next, () => CheckpointImages.Merge(request.Overlay, request.Into, request.IntoFormat, request.Rebase));
            WorkerLog.DiskMerged(log, request.Disk, request.Overlay, request.Into, clock.ElapsedMilliseconds);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or Vmm.Devices.Virtio.DiskException)
        {
            WorkerLog.DiskMergeFailed(log, request.Disk, request.Overlay, e.UserMessage());
            ResumeUnless(before);
            return new ControlResponse { Ok = false, State = reporter.State, Error = e.UserMessage() };
        }

        ResumeUnless(before);
        return new ControlResponse { State = reporter.State };
    }

    private void ResumeUnless(VmState before)
    {
        if (before != VmState.Paused)
        {
            Vm.Resume();
        }
    }
}
