using System.Diagnostics;
using System.Text.Json;
using HyperNest.Management.Disks;
using HyperNest.Management.Lifecycle;
using HyperNest.Management.Model;
using HyperNest.Management.Worker;
using HyperNest.Vmm.Tests.Disks;

namespace HyperNest.Management.Tests.Disks;

/// <summary>
/// New-VHD, Get-VHD, Resize-VHD and Convert-VHD on real files, with qemu-img as the oracle: every image HyperNest
/// writes passes qemu-img check and reads as qemu-img info and compare expect; every refusal leaves no file behind.
/// </summary>
public sealed class VhdManagerTests : IDisposable
{
    private readonly TempStore _temp = new();
    private readonly VhdManager _disks;
    private readonly VmManager _vms;

    public VhdManagerTests()
    {
        _disks = new VhdManager(_temp.Store);
        _vms = new VmManager(_temp.Store, new WorkerLauncher("/bin/false", []));
    }

    public void Dispose() => _temp.Dispose();

    private string PathOf(string name) => Path.Combine(_temp.Home, name);

    [SkippableFact]
    public void A_New_Disk_Is_Dynamic_By_Default_An_Empty_Qcow2_Image_Of_The_Size_Asked()
    {
        QemuImg.SkipUnlessAvailable();

        VirtualHardDisk disk = _disks.New(new NewVhdOptions { Path = PathOf("w.qcow2"), SizeBytes = 4L << 30 });

        Assert.Equal((VhdFormat.Qcow2, VhdType.Dynamic, 4L << 30, 0L, 65536, (string?)null, false),
            (disk.VhdFormat, disk.VhdType, disk.Size, disk.MinimumSize, disk.BlockSize, disk.ParentPath, disk.Attached));
        Assert.Equal(new FileInfo(disk.Path).Length, disk.FileSize);
        JsonElement info = Info(disk.Path);
        Assert.Equal(("qcow2", 4L << 30), (info.GetProperty("format").GetString(), info.GetProperty("virtual-size").GetInt64()));
        QemuImg.AssertConsistent(disk.Path);
    }

    [SkippableFact]
    public void A_Fixed_Disk_Is_A_Raw_File_Whose_Space_Is_All_Allocated()
    {
        QemuImg.SkipUnlessAvailable();

        VirtualHardDisk disk = _disks.New(new NewVhdOptions { Path = PathOf("f.img"), SizeBytes = 8L << 20, Type = VhdType.Fixed });

        Assert.Equal((VhdFormat.Raw, VhdType.Fixed, 8L << 20, 8L << 20, 0L), (disk.VhdFormat, disk.VhdType, disk.Size, disk.FileSize, disk.MinimumSize!.Value));
        Assert.True(AllocatedBytes(disk.Path) >= 8L << 20, $"only {AllocatedBytes(disk.Path)} bytes allocated");
        Assert.Equal(8L << 20, Info(disk.Path).GetProperty("virtual-size").GetInt64());
    }

    [SkippableFact]
    public void A_Differencing_Disk_Is_A_Qcow2_Overlay_On_Its_Parent_With_Its_Content_And_Size()
    {
        QemuImg.SkipUnlessAvailable();
        string parent = PathOf("base.qcow2");
        QemuImg.Ok("create", "-f", "qcow2", parent, "16M");
        QemuImg.Io(parent, "write -P 0x33 3M 64k");

        VirtualHardDisk child = _disks.New(new NewVhdOptions { Path = PathOf("child.qcow2"), Type = VhdType.Differencing, ParentPath = parent });

        Assert.Equal((VhdType.Differencing, parent, 16L << 20, (3L << 20) + 65536), (child.VhdType, child.ParentPath, child.Size, child.MinimumSize!.Value));
        JsonElement info = Info(child.Path);
        Assert.Equal((parent, "qcow2"), (info.GetProperty("backing-filename").GetString(), info.GetProperty("backing-filename-format").GetString()));
        QemuImg.AssertConsistent(child.Path);
        QemuImg.AssertIdentical(child.Path, "qcow2", parent, "qcow2");
    }

    [Theory]
    [InlineData("d.vhdx", VhdType.Dynamic, 1L << 20, VirtualHardDiskProblem.Invalid, "give it a name ending in .qcow2")]
    [InlineData("f.qcow2", VhdType.Fixed, 1L << 20, VirtualHardDiskProblem.Invalid, "a fixed disk is a raw image")]
    [InlineData("d.qcow2", VhdType.Dynamic, 1000L, VirtualHardDiskProblem.Invalid, "a size of 1000 bytes is not a positive multiple of 512")]
    [InlineData("d.qcow2", VhdType.Dynamic, null, VirtualHardDiskProblem.Invalid, "a dynamic disk needs a size")]
    [InlineData("c.qcow2", VhdType.Differencing, null, VirtualHardDiskProblem.NotFound, "the parent disk '")]
    [InlineData("missing/d.qcow2", VhdType.Dynamic, 1L << 20, VirtualHardDiskProblem.NotFound, "the folder '")]
    public void A_Bad_New_Disk_Is_Refused_In_One_Line_And_Leaves_No_File(string name, VhdType type, long? size, VirtualHardDiskProblem problem, string message)
    {
        var options = new NewVhdOptions { Path = PathOf(name), Type = type, SizeBytes = size, ParentPath = type == VhdType.Differencing ? PathOf("nothing.qcow2") : null };

        VirtualHardDiskException refused = Assert.Throws<VirtualHardDiskException>(() => _disks.New(options));

        Assert.Equal(problem, refused.Problem);
        Assert.Contains(message, refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', refused.Message);
        Assert.Empty(Directory.GetFiles(_temp.Home));
    }

    [Fact]
    public void New_Refuses_A_Block_Size_That_Is_No_Cluster_Size_And_An_Existing_File_Stays_As_It_Was()
    {
        Assert.Contains("not a qcow2 cluster size", Assert.Throws<VirtualHardDiskException>(() =>
            _disks.New(new NewVhdOptions { Path = PathOf("b.qcow2"), SizeBytes = 1L << 20, BlockSizeBytes = 32L << 20 })).Message);
        File.WriteAllText(PathOf("taken.qcow2"), "mine");

        VirtualHardDiskException exists = Assert.Throws<VirtualHardDiskException>(() => _disks.New(new NewVhdOptions { Path = PathOf("taken.qcow2"), SizeBytes = 1L << 20 }));

        Assert.Equal(VirtualHardDiskProblem.Exists, exists.Problem);
        Assert.Equal("mine", File.ReadAllText(PathOf("taken.qcow2")));
    }

    [Fact]
    public void Get_Of_A_Raw_Disk_Gives_Its_Size_And_The_Minimum_Past_Its_Last_Non_Zero_Byte()
    {
        var content = new byte[1 << 20];
        content[300_000] = 1;
        File.WriteAllBytes(PathOf("r.img"), content);

        VirtualHardDisk disk = _disks.Get(PathOf("r.img"));

        Assert.Equal((VhdFormat.Raw, VhdType.Fixed, 1L << 20, 300_032L), (disk.VhdFormat, disk.VhdType, disk.Size, disk.MinimumSize!.Value));
        Assert.Equal(VirtualHardDiskProblem.NotFound, Assert.Throws<VirtualHardDiskException>(() => _disks.Get(PathOf("none.img"))).Problem);
    }

    [SkippableFact]
    public void Get_Names_The_Vms_The_Disk_Is_Attached_To()
    {
        QemuImg.SkipUnlessAvailable();
        string path = _disks.New(new NewVhdOptions { Path = PathOf("a.qcow2"), SizeBytes = 1L << 20 }).Path;
        _vms.NewVm(new NewVmOptions { Name = "web", DiskPaths = [path] });

        VirtualHardDisk disk = _disks.Get(path);

        Assert.True(disk.Attached);
        Assert.Equal(["web"], disk.AttachedTo);
    }

    [SkippableFact]
    public void Resize_Grows_A_Dynamic_Disk_And_Shrinks_It_To_Its_Minimum_But_Never_Below()
    {
        QemuImg.SkipUnlessAvailable();
        string path = _disks.New(new NewVhdOptions { Path = PathOf("g.qcow2"), SizeBytes = 16L << 20 }).Path;
        QemuImg.Io(path, "write -P 0x44 5M 4k");

        Assert.Equal(1L << 30, _disks.Resize(path, 1L << 30).Size);
        QemuImg.AssertConsistent(path);
        VirtualHardDiskException refused = Assert.Throws<VirtualHardDiskException>(() => _disks.Resize(path, 4L << 20));
        Assert.Contains("it holds data up to byte 5308416, which a shrink would cut", refused.Message, StringComparison.Ordinal);
        VirtualHardDisk shrunk = _disks.ResizeToMinimum(path);

        Assert.Equal((5L << 20) + 65536, shrunk.Size);
        Assert.Equal((5L << 20) + 65536, Info(path).GetProperty("virtual-size").GetInt64());
        QemuImg.AssertConsistent(path);
        Assert.All(QemuImg.ContentOf(path).AsSpan(5 << 20, 4096).ToArray(), b => Assert.Equal(0x44, b));
    }

    [Fact]
    public void Resize_Of_A_Raw_Disk_Grows_With_Zeros_And_Shrinks_Only_Down_To_Its_Last_Data()
    {
        var content = new byte[1 << 20];
        content[10_000] = 9;
        File.WriteAllBytes(PathOf("r.img"), content);

        Assert.Equal(2L << 20, _disks.Resize(PathOf("r.img"), 2L << 20).Size);
        Assert.Equal(VirtualHardDiskProblem.Invalid, Assert.Throws<VirtualHardDiskException>(() => _disks.Resize(PathOf("r.img"), 8192)).Problem);
        Assert.Equal(10_240L, _disks.ResizeToMinimum(PathOf("r.img")).Size);
        Assert.Equal(9, File.ReadAllBytes(PathOf("r.img"))[10_000]);
    }

    [Fact]
    public void Resize_Is_Refused_While_A_Vm_That_Is_Not_Off_Has_The_Disk()
    {
        File.WriteAllBytes(PathOf("r.img"), new byte[1 << 20]);
        VmInfo vm = _vms.NewVm(new NewVmOptions { Name = "web", DiskPaths = [PathOf("r.img")] });
        File.WriteAllText(_temp.Store.Folder(vm.Id).SavedStateFile, "saved");

        VirtualHardDiskException refused = Assert.Throws<VirtualHardDiskException>(() => _disks.Resize(PathOf("r.img"), 2L << 20));

        Assert.Equal(VirtualHardDiskProblem.InUse, refused.Problem);
        Assert.Contains("it is attached to 'web', which is Saved; turn the VM off first", refused.Message, StringComparison.Ordinal);
        Assert.Equal(1L << 20, new FileInfo(PathOf("r.img")).Length);
    }

    [SkippableFact]
    public void Resize_Is_Refused_For_A_Disk_A_Checkpoint_Froze()
    {
        QemuImg.SkipUnlessAvailable();
        File.WriteAllBytes(PathOf("r.img"), new byte[1 << 20]);
        _vms.NewVm(new NewVmOptions { Name = "web", DiskPaths = [PathOf("r.img")] });
        _vms.Checkpoint("web", "before");

        VirtualHardDiskException refused = Assert.Throws<VirtualHardDiskException>(() => _disks.Resize(PathOf("r.img"), 2L << 20));

        Assert.Contains("a checkpoint of 'web' depends on it", refused.Message, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void Convert_Of_A_Vhdx_Gives_A_Qcow2_Image_With_The_Same_Content()
    {
        QemuImg.SkipUnlessAvailable();
        var content = new byte[8 << 20];
        new Random(11).NextBytes(content.AsSpan(1 << 20, 1 << 20));
        File.WriteAllBytes(PathOf("content.raw"), content);
        QemuImg.Ok("convert", "-f", "raw", "-O", "vhdx", PathOf("content.raw"), PathOf("hyperv.vhdx"));

        VirtualHardDisk converted = _disks.Convert(PathOf("hyperv.vhdx"), PathOf("linux.qcow2"));

        Assert.Equal((VhdFormat.Qcow2, VhdType.Dynamic, 8L << 20), (converted.VhdFormat, converted.VhdType, converted.Size));
        QemuImg.AssertConsistent(converted.Path);
        QemuImg.AssertIdentical(PathOf("hyperv.vhdx"), "vhdx", converted.Path, "qcow2");
        Assert.Equal(VhdFormat.VHDX, _disks.Get(PathOf("hyperv.vhdx")).VhdFormat);
    }

    [SkippableFact]
    public void Convert_Flattens_A_Differencing_Disk_Into_A_Fixed_Raw_One_And_Can_Delete_The_Source()
    {
        QemuImg.SkipUnlessAvailable();
        string parent = PathOf("base.qcow2");
        QemuImg.Ok("create", "-f", "qcow2", parent, "4M");
        QemuImg.Io(parent, "write -P 0x01 0 64k");
        string child = _disks.New(new NewVhdOptions { Path = PathOf("child.qcow2"), Type = VhdType.Differencing, ParentPath = parent }).Path;
        QemuImg.Io(child, "write -P 0x02 1M 64k");

        VirtualHardDisk raw = _disks.Convert(child, PathOf("whole.img"), VhdType.Fixed, deleteSource: true);

        Assert.Equal((VhdFormat.Raw, VhdType.Fixed, 4L << 20), (raw.VhdFormat, raw.VhdType, raw.Size));
        Assert.False(File.Exists(child));
        byte[] bytes = File.ReadAllBytes(raw.Path);
        Assert.Equal((1, 2, 0), (bytes[0], bytes[1 << 20], bytes[2 << 20]));
        Assert.True(AllocatedBytes(raw.Path) >= 4L << 20);
    }

    [Theory]
    [InlineData("out.vhdx", null, "HyperNest converts into raw (fixed) and qcow2 (dynamic) disks")]
    [InlineData("out.qcow2", VhdType.Fixed, "a fixed disk is raw")]
    [InlineData("out.img", VhdType.Differencing, "make a differencing disk with New-VHD -Differencing")]
    public void Convert_Refuses_A_Destination_It_Cannot_Make_And_Writes_Nothing(string destination, VhdType? type, string message)
    {
        File.WriteAllBytes(PathOf("src.img"), new byte[4096]);

        Assert.Contains(message, Assert.Throws<VirtualHardDiskException>(() => _disks.Convert(PathOf("src.img"), PathOf(destination), type)).Message);
        Assert.Equal([PathOf("src.img")], Directory.GetFiles(_temp.Home));
    }

    [SkippableFact]
    public void A_Conversion_That_Qemu_Img_Fails_Says_Why_And_Leaves_No_File()
    {
        QemuImg.SkipUnlessAvailable();
        File.WriteAllText(PathOf("fake.vhdx"), "not a vhdx at all");

        VirtualHardDiskException failed = Assert.Throws<VirtualHardDiskException>(() => _disks.Convert(PathOf("fake.vhdx"), PathOf("out.qcow2")));

        Assert.StartsWith($"cannot convert '{PathOf("fake.vhdx")}' (VHDX) into '{PathOf("out.qcow2")}': qemu-img says: ", failed.Message);
        Assert.Equal([PathOf("fake.vhdx")], Directory.GetFiles(_temp.Home));
    }

    /// <summary>Found trying the disks as a newcomer: Remove-VM's disk deletion once deleted disks others still needed.</summary>
    [SkippableFact]
    public void Removing_A_Vm_With_Its_Disks_Is_Refused_Whole_While_Another_Vm_Or_A_Disk_On_It_Needs_One()
    {
        QemuImg.SkipUnlessAvailable();
        _disks.New(new NewVhdOptions { Path = PathOf("shared.qcow2"), SizeBytes = 64L << 20 });
        _disks.New(new NewVhdOptions { Path = PathOf("base.qcow2"), SizeBytes = 64L << 20 });
        _disks.New(new NewVhdOptions { Path = PathOf("child.qcow2"), Type = VhdType.Differencing, ParentPath = PathOf("base.qcow2") });
        _vms.NewVm(new NewVmOptions { Name = "a", DiskPaths = [PathOf("shared.qcow2")] });
        _vms.NewVm(new NewVmOptions { Name = "b", DiskPaths = [PathOf("shared.qcow2")] });
        _vms.NewVm(new NewVmOptions { Name = "bx", DiskPaths = [PathOf("base.qcow2")] });
        _vms.NewVm(new NewVmOptions { Name = "by", DiskPaths = [PathOf("child.qcow2")] });

        var shared = Assert.Throws<VirtualHardDiskException>(() => _vms.RemoveVm("b", deleteDisks: true));
        var parent = Assert.Throws<VirtualHardDiskException>(() => _vms.RemoveVm("bx", deleteDisks: true));

        Assert.Equal($"cannot delete '{PathOf("shared.qcow2")}': it is attached to 'a' too", shared.Message);
        Assert.Equal($"cannot delete '{PathOf("base.qcow2")}': it is the parent of '{PathOf("child.qcow2")}', attached to 'by'", parent.Message);
        Assert.True(File.Exists(PathOf("shared.qcow2")) && File.Exists(PathOf("base.qcow2")));
        Assert.Equal(["a", "b", "bx", "by"], _vms.GetVms().Vms.Select(v => v.Name).Order());

        _vms.RemoveVm("by", deleteDisks: true);
        _vms.RemoveVm("bx", deleteDisks: true);
        Assert.False(File.Exists(PathOf("child.qcow2")) || File.Exists(PathOf("base.qcow2")));
    }

    [SkippableFact]
    public void Convert_With_Delete_Source_Is_Refused_While_A_Vm_Has_The_Source_And_Writes_Nothing()
    {
        QemuImg.SkipUnlessAvailable();
        _disks.New(new NewVhdOptions { Path = PathOf("att.qcow2"), SizeBytes = 64L << 20 });
        _vms.NewVm(new NewVmOptions { Name = "attvm", DiskPaths = [PathOf("att.qcow2")] });

        var refused = Assert.Throws<VirtualHardDiskException>(() => _disks.Convert(PathOf("att.qcow2"), PathOf("att.img"), deleteSource: true));

        Assert.Equal($"cannot convert and delete '{PathOf("att.qcow2")}': it is attached to 'attvm'", refused.Message);
        Assert.True(File.Exists(PathOf("att.qcow2")));
        Assert.False(File.Exists(PathOf("att.img")));
    }

    [SkippableFact]
    public void New_Vm_With_A_New_Disk_Attaches_A_Dynamic_Disk_Of_The_Size_Asked()
    {
        QemuImg.SkipUnlessAvailable();

        VmInfo vm = _vms.NewVm(new NewVmOptions { Name = "W", MemoryStartupBytes = 1UL << 30, NewVhdPath = PathOf("W.qcow2"), NewVhdSizeBytes = 4L << 30 });

        Assert.Equal([PathOf("W.qcow2")], vm.Configuration.HardDrives.Select(d => d.Path));
        VirtualHardDisk disk = _disks.Get(PathOf("W.qcow2"));
        Assert.Equal((VhdType.Dynamic, 4L << 30, true), (disk.VhdType, disk.Size, disk.Attached));
        Assert.Equal(["W"], disk.AttachedTo);
        QemuImg.AssertConsistent(disk.Path);
    }

    [Fact]
    public void New_Vm_That_Fails_Leaves_No_Vm_And_No_Disk()
    {
        _vms.NewVm(new NewVmOptions { Name = "W" });

        Assert.Throws<VmValidationException>(() => _vms.NewVm(new NewVmOptions { Name = "W", NewVhdPath = PathOf("W.qcow2"), NewVhdSizeBytes = 1L << 30 }));
        Assert.Throws<VirtualHardDiskException>(() => _vms.NewVm(new NewVmOptions { Name = "X", NewVhdPath = PathOf("X.qcow2"), NewVhdSizeBytes = 1000 }));

        Assert.Empty(Directory.GetFiles(_temp.Home, "*.qcow2"));
        Assert.Equal(["W"], _vms.GetVms().Vms.Select(v => v.Name));
    }

    [Fact]
    public void A_Vhdx_Is_Not_Attached_As_Raw_Bytes_But_Sent_To_Convert_VHD()
    {
        File.WriteAllBytes(PathOf("web.vhdx"), new byte[4096]);
        _vms.NewVm(new NewVmOptions { Name = "web" });

        string message = $"'{PathOf("web.vhdx")}' is a VHDX disk, which HyperNest does not run: convert it to qcow2 first (Convert-VHD, or hnest disk convert).";
        Assert.Equal(message, Assert.Throws<VmValidationException>(() => _vms.AddHardDiskDrive("web", PathOf("web.vhdx"))).Message);
        Assert.Equal(message, Assert.Throws<VmValidationException>(() => _vms.NewVm(new NewVmOptions { Name = "other", DiskPaths = [PathOf("web.vhdx")] })).Message);
        Assert.Empty(_vms.GetVm("web").Configuration.HardDrives);
    }

    [Fact]
    public void A_Disk_Whose_Size_Is_Not_A_Whole_Number_Of_Sectors_Gets_A_Warning_Naming_The_Tail()
    {
        File.WriteAllBytes(PathOf("odd.img"), new byte[1000]);
        File.WriteAllBytes(PathOf("even.img"), new byte[1024]);

        Assert.Equal($"disk '{PathOf("odd.img")}' is 1000 bytes, not a multiple of 512: the guest sees 512 bytes (1 sector) and cannot reach its last 488 bytes (bytes 512 to 999)",
            VhdManager.UnreachableTailWarning(PathOf("odd.img")));
        Assert.Null(VhdManager.UnreachableTailWarning(PathOf("even.img")));
    }

    private static JsonElement Info(string path) => JsonDocument.Parse(QemuImg.Ok("info", "--output=json", path)).RootElement;

    /// <summary>The bytes the file system has allocated to the file (stat's blocks × block size).</summary>
    private static long AllocatedBytes(string path)
    {
        var start = new ProcessStartInfo("stat", ["-c", "%b %B", path]) { RedirectStandardOutput = true };
        using Process stat = Process.Start(start)!;
        string[] fields = stat.StandardOutput.ReadToEnd().Split(' ', StringSplitOptions.TrimEntries);
        stat.WaitForExit();
        return long.Parse(fields[0]) * long.Parse(fields[1]);
    }
}
