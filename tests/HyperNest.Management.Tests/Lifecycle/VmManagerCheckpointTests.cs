using System.Text.Json;
using System.Text.RegularExpressions;
using HyperNest.Management.Checkpoints;
using HyperNest.Management.Lifecycle;
using HyperNest.Management.Model;
using HyperNest.Management.Worker;
using HyperNest.Vmm.Tests.Disks;

namespace HyperNest.Management.Tests.Lifecycle;

/// <summary>
/// Standard checkpoints of VMs that are off (no worker): the tree, names, and what restore and remove do to the image
/// files, with real raw and qcow2 images and qemu-img as the oracle. Writes "by the guest" are qemu-io writes into the
/// VM's present disk.
/// </summary>
public sealed class VmManagerCheckpointTests : IDisposable
{
    private const int DiskBytes = 4 << 20;
    private readonly TempStore _temp = new();
    private readonly VmManager _manager;
    private readonly string _disk;
    private readonly byte[] _original;

    public VmManagerCheckpointTests()
    {
        _manager = new VmManager(_temp.Store, new WorkerLauncher("/bin/false", []));
        _original = new byte[DiskBytes];
        new Random(7).NextBytes(_original);
        _disk = Path.Combine(_temp.Home, "web.raw");
        File.WriteAllBytes(_disk, _original);
        _manager.NewVm(new NewVmOptions { Name = "web", DiskPaths = [_disk] });
    }

    public void Dispose() => _temp.Dispose();

    private string Disk => _manager.GetVm("web").Configuration.HardDrives[0].Path;

    private string Overlays => _temp.Store.Folder(_manager.GetVm("web").Id).CheckpointDisksDirectory;

    [SkippableFact]
    public void A_Checkpoint_Of_An_Off_Vm_Freezes_Its_Disk_Behind_A_New_Overlay_And_Is_The_Vms_Current_One()
    {
        QemuImg.SkipUnlessAvailable();

        CheckpointInfo checkpoint = _manager.Checkpoint("web");

        Assert.Matches(new Regex(@"^web - \(\d{1,2}/\d{1,2}/\d{4} - \d{1,2}:\d{2}:\d{2} (AM|PM)\)$"), checkpoint.Name);
        Assert.Equal(("Standard", VmState.Off, true, (string?)null), (checkpoint.SnapshotType, checkpoint.State, checkpoint.IsCurrent, checkpoint.ParentName));
        Assert.Equal([_disk], checkpoint.HardDrives);
        Assert.StartsWith(Overlays, Disk);
        Assert.EndsWith(".qcow2", Disk);
        QemuImg.AssertConsistent(Disk);
        Assert.Contains($"backing file: {_disk}", QemuImg.Ok("info", Disk));
        QemuImg.AssertIdentical(Disk, "qcow2", _disk, "raw");
    }

    [SkippableFact]
    public void Checkpoints_Form_A_Tree_Each_The_Child_Of_The_Vms_Current_One_And_Names_Need_Not_Be_Unique()
    {
        QemuImg.SkipUnlessAvailable();
        _manager.Checkpoint("web", "base");
        _manager.Checkpoint("web", "after");
        _manager.RestoreCheckpoint("web", "base");
        _manager.Checkpoint("web", "after");

        IReadOnlyList<CheckpointInfo> all = _manager.GetCheckpoints("web");

        Assert.Equal(["base", "after", "after"], all.Select(c => c.Name));
        Assert.Equal([null, "base", "base"], all.Select(c => c.ParentName));
        Assert.Equal([false, false, true], all.Select(c => c.IsCurrent));
        Assert.Contains("2 checkpoints named 'after'",
            Assert.Throws<VmValidationException>(() => _manager.RestoreCheckpoint("web", "after")).Message);
    }

    [SkippableFact]
    public void Restore_Discards_The_Writes_Since_The_Checkpoint_And_Never_Writes_The_Frozen_Image()
    {
        QemuImg.SkipUnlessAvailable();
        _manager.Checkpoint("web", "clean");
        string written = Disk;
        QemuImg.Io(written, "write -P 0x5a 0 1M", "write -P 0x5b 3M 64k");

        CheckpointInfo restored = _manager.RestoreCheckpoint("web", "clean");

        Assert.True(restored.IsCurrent);
        Assert.False(File.Exists(written));
        Assert.NotEqual(written, Disk);
        Assert.Equal(_original, File.ReadAllBytes(_disk));
        Assert.Equal(_original, QemuImg.ContentOf(Disk));
        QemuImg.AssertConsistent(Disk);
        Assert.Equal(VmState.Off, _manager.GetVm("web").State);
    }

    [SkippableFact]
    public void Restore_Puts_Back_The_Checkpoints_Settings()
    {
        QemuImg.SkipUnlessAvailable();
        _manager.Checkpoint("web", "one cpu");
        _manager.SetProcessor("web", new ProcessorChanges { Count = 2 });

        _manager.RestoreCheckpoint("web", "one cpu");

        Assert.Equal(1, _manager.GetVm("web").Configuration.ProcessorCount);
    }

    [SkippableFact]
    public void Removing_The_Only_Checkpoint_Merges_The_Overlay_Into_The_Disk_The_Vm_Uses_Again()
    {
        QemuImg.SkipUnlessAvailable();
        _manager.Checkpoint("web", "one");
        string overlay = Disk;
        QemuImg.Io(overlay, "write -P 0x11 64k 512k", "write -z 2M 128k");
        byte[] expected = QemuImg.ContentOf(overlay);

        _manager.RemoveCheckpoint("web", "one");

        Assert.Equal(_disk, Disk);
        Assert.False(File.Exists(overlay));
        Assert.Equal(expected, File.ReadAllBytes(_disk));
        Assert.Empty(_manager.GetCheckpoints("web"));
        Assert.Empty(Directory.GetFiles(Overlays));
    }

    [SkippableFact]
    public void Removing_A_Parent_Merges_Into_Its_Image_And_Points_The_Childs_Overlay_At_It()
    {
        QemuImg.SkipUnlessAvailable();
        _manager.Checkpoint("web", "parent");
        QemuImg.Io(Disk, "write -P 0x21 0 256k");
        CheckpointInfo child = _manager.Checkpoint("web", "child");
        string frozenByChild = child.HardDrives[0];
        QemuImg.Io(Disk, "write -P 0x22 1M 256k");
        byte[] present = QemuImg.ContentOf(Disk);
        byte[] atChild = QemuImg.ContentOf(frozenByChild);

        _manager.RemoveCheckpoint("web", "parent");

        CheckpointInfo left = Assert.Single(_manager.GetCheckpoints("web"));
        Assert.Equal(("child", (string?)null), (left.Name, left.ParentName));
        Assert.Equal([_disk], left.HardDrives);
        Assert.False(File.Exists(frozenByChild));
        Assert.Equal(atChild, File.ReadAllBytes(_disk));
        Assert.Contains($"backing file: {_disk}", QemuImg.Ok("info", Disk));
        Assert.Contains("backing file format: raw", QemuImg.Ok("info", Disk));
        QemuImg.AssertConsistent(Disk);
        Assert.Equal(present, QemuImg.ContentOf(Disk));
    }

    [SkippableFact]
    public void A_Removed_Checkpoint_With_Two_Children_Leaves_Its_Image_Until_One_Child_Is_Left()
    {
        QemuImg.SkipUnlessAvailable();
        _manager.Checkpoint("web", "root");
        QemuImg.Io(Disk, "write -P 0x31 0 64k");
        _manager.Checkpoint("web", "branch");
        _manager.RestoreCheckpoint("web", "root");
        QemuImg.Io(Disk, "write -P 0x32 512k 64k");
        byte[] present = QemuImg.ContentOf(Disk);

        _manager.RemoveCheckpoint("web", "root");

        Assert.Equal(["branch"], _manager.GetCheckpoints("web").Select(c => c.Name));
        Assert.Equal(_original, File.ReadAllBytes(_disk));

        _manager.RemoveCheckpoint("web", "branch");

        Assert.Equal(_disk, Disk);
        Assert.Equal(present, File.ReadAllBytes(_disk));
        Assert.Empty(Directory.GetFiles(Overlays));
    }

    [SkippableFact]
    public void Removing_With_Its_Children_Removes_The_Subtree_And_A_Name_Removes_Every_Match()
    {
        QemuImg.SkipUnlessAvailable();
        _manager.Checkpoint("web", "a");
        _manager.Checkpoint("web", "b");
        _manager.Checkpoint("web", "c");
        _manager.RestoreCheckpoint("web", "a");
        _manager.Checkpoint("web", "x");
        _manager.Checkpoint("web", "x");

        _manager.RemoveCheckpoint("web", "b", includeChildren: true);
        Assert.Equal(["a", "x", "x"], _manager.GetCheckpoints("web").Select(c => c.Name));

        _manager.RemoveCheckpoint("web", "x");
        Assert.Equal(["a"], _manager.GetCheckpoints("web").Select(c => c.Name));
        QemuImg.AssertConsistent(Disk);
        Assert.Equal(_original, QemuImg.ContentOf(Disk));
    }

    [SkippableFact]
    public void Rename_Renames_Every_Checkpoint_Of_That_Name()
    {
        QemuImg.SkipUnlessAvailable();
        _manager.Checkpoint("web", "same");
        _manager.Checkpoint("web", "same");

        Assert.Equal(2, _manager.RenameCheckpoint("web", "SAME", "renamed").Count);
        Assert.Equal(["renamed", "renamed"], _manager.GetCheckpoints("web").Select(c => c.Name));
        Assert.Equal("A checkpoint name cannot be empty.", Assert.Throws<VmValidationException>(() => _manager.RenameCheckpoint("web", "renamed", " ")).Message);
    }

    [Fact]
    public void An_Unknown_Checkpoint_Is_Named_In_Hyper_Vs_Words()
    {
        Assert.Equal("HyperNest was unable to find a checkpoint named \"nope\" of virtual machine \"web\".",
            Assert.Throws<CheckpointNotFoundException>(() => _manager.RestoreCheckpoint("web", "nope")).Message);
        Assert.Throws<CheckpointNotFoundException>(() => _manager.RemoveCheckpoint("web", "nope"));
    }

    [SkippableFact]
    public void A_Running_Vm_Is_Not_Restored_And_Nothing_Changes()
    {
        QemuImg.SkipUnlessAvailable();
        _manager.Checkpoint("web", "one");
        string disk = Disk;
        FakeWorker(VmState.Running);

        var refused = Assert.Throws<VmStateException>(() => _manager.RestoreCheckpoint("web", "one"));

        Assert.Equal("Cannot apply a checkpoint to 'web' while it is Running: turn it off first (Stop-VM -TurnOff, or hnest vm stop --turn-off); its present state would be lost.", refused.Message);
        Assert.Equal(disk, Disk);
        Assert.Single(Directory.GetFiles(Overlays));
    }

    [Fact]
    public void A_Running_Vm_On_The_Emulated_Accelerator_Is_Not_Checkpointed()
    {
        FakeWorker(VmState.Running, "emulated");

        Assert.Contains("while it runs on the emulated accelerator: not supported yet",
            Assert.Throws<VmOperationException>(() => _manager.Checkpoint("web")).Message);
        Assert.Equal(_disk, Disk);
    }

    [Fact]
    public void A_Running_Vm_That_Exposes_Virtualization_Extensions_Is_Not_Checkpointed()
    {
        VmInfo vm = _manager.GetVm("web");
        _temp.Store.Save(vm.Configuration with { ExposeVirtualizationExtensions = true });
        FakeWorker(VmState.Running, "kvm");

        Assert.StartsWith("Cannot take a checkpoint of a running VM that exposes virtualization extensions",
            Assert.Throws<VmOperationException>(() => _manager.Checkpoint("web")).Message);
        Assert.Equal(_disk, Disk);
    }

    [SkippableFact]
    public void A_Failed_Checkpoint_Leaves_No_Overlay_And_The_Config_Unchanged()
    {
        QemuImg.SkipUnlessAvailable();
        File.Delete(_disk);

        var refused = Assert.Throws<VmOperationException>(() => _manager.Checkpoint("web"));

        Assert.StartsWith("the checkpoint operation on 'web' failed and was undone: ", refused.Message);
        Assert.Equal(_disk, Disk);
        Assert.Empty(_manager.GetCheckpoints("web"));
        Assert.Empty(Directory.GetFiles(Overlays));
    }

    [SkippableFact]
    public void Remove_Vm_Deletes_Its_Checkpoints_And_With_Its_Disks_The_Frozen_One_Too()
    {
        QemuImg.SkipUnlessAvailable();
        _manager.Checkpoint("web", "one");
        string folder = _temp.Store.Folder(_manager.GetVm("web").Id).Path;

        _manager.RemoveVm("web", deleteDisks: true);

        Assert.False(Directory.Exists(folder));
        Assert.False(File.Exists(_disk));
    }

    private void FakeWorker(VmState state, string accelerator = "kvm")
    {
        HostProcess self = HostProcess.Current;
        var record = new RuntimeRecord
        {
            Pid = self.Pid, ProcessStartTicks = self.StartTicks, State = state, StartedAt = DateTimeOffset.UtcNow.AddMinutes(-1), Accelerator = accelerator,
        };
        File.WriteAllBytes(_temp.Store.Folder(_manager.GetVm("web").Id).RuntimeFile, JsonSerializer.SerializeToUtf8Bytes(record, ManagementJsonContext.Default.RuntimeRecord));
    }
}
