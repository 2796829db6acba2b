using System.Text.Json;
using HyperNest.Vmm.Tests.Disks;

namespace HyperNest.Cli.Tests.Commands;

/// <summary><c>hnest disk new|show|resize|convert</c>, <c>vm new --new-disk</c>, and the warning for a disk with a partial last sector.</summary>
public sealed class DiskCommandTests : IDisposable
{
    private readonly VmHome _home = new();

    public void Dispose() => _home.Dispose();

    private string PathOf(string name) => Path.Combine(_home.Path, name);

    private JsonElement Json(params string[] args)
    {
        using JsonDocument document = JsonDocument.Parse(_home.Ok([.. args, "--json"]).Stdout);
        return document.RootElement.Clone();
    }

    [SkippableFact]
    public void New_Show_Resize_And_Convert_A_Disk()
    {
        QemuImg.SkipUnlessAvailable();

        JsonElement made = Json("disk", "new", PathOf("d.qcow2"), "--size", "64M");
        _home.Ok("vm", "new", "web", "--disk", PathOf("d.qcow2"));
        JsonElement shown = Json("disk", "show", PathOf("d.qcow2"));
        JsonElement grown = Json("disk", "resize", PathOf("d.qcow2"), "--size", "1G");
        JsonElement fixedDisk = Json("disk", "new", PathOf("f.img"), "--size", "1M", "--type", "fixed");
        JsonElement child = Json("disk", "new", PathOf("c.qcow2"), "--parent", PathOf("d.qcow2"));
        JsonElement raw = Json("disk", "convert", PathOf("c.qcow2"), PathOf("c.img"));

        Assert.Equal(("Qcow2", "Dynamic", 64L << 20), (made.GetProperty("vhdFormat").GetString(), made.GetProperty("vhdType").GetString(), made.GetProperty("size").GetInt64()));
        Assert.Equal((true, "web"), (shown.GetProperty("attached").GetBoolean(), shown.GetProperty("attachedTo")[0].GetString()));
        Assert.Equal(1L << 30, grown.GetProperty("size").GetInt64());
        Assert.Equal(("Raw", "Fixed", 1L << 20), (fixedDisk.GetProperty("vhdFormat").GetString(), fixedDisk.GetProperty("vhdType").GetString(), fixedDisk.GetProperty("fileSize").GetInt64()));
        Assert.Equal(("Differencing", PathOf("d.qcow2")), (child.GetProperty("vhdType").GetString(), child.GetProperty("parentPath").GetString()));
        Assert.Equal(("Raw", 1L << 30), (raw.GetProperty("vhdFormat").GetString(), raw.GetProperty("size").GetInt64()));
        QemuImg.AssertConsistent(PathOf("d.qcow2"));
        QemuImg.AssertConsistent(PathOf("c.qcow2"));
        QemuImg.AssertIdentical(PathOf("c.qcow2"), "qcow2", PathOf("c.img"), "raw");
    }

    [SkippableFact]
    public void Show_Prints_Hyper_Vs_Fields_One_A_Line()
    {
        QemuImg.SkipUnlessAvailable();
        _home.Ok("vm", "new", "W", "--new-disk", PathOf("W.qcow2"), "--new-disk-size", "4G");

        string shown = _home.Ok("disk", "show", PathOf("W.qcow2")).Stdout;

        Assert.Contains("VhdType     : Dynamic", shown, StringComparison.Ordinal);
        Assert.Contains("Size        : 4294967296 (4 GiB)", shown, StringComparison.Ordinal);
        Assert.Contains("Attached    : True (W)", shown, StringComparison.Ordinal);
        Assert.Contains(PathOf("W.qcow2"), _home.Ok("vm", "disk", "list", "W").Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--size '12Q' is not a size (expected e.g. 512M or 2G)", "disk", "new", "{0}/d.qcow2", "--size", "12Q")]
    [InlineData("--type 'sparse': expected fixed, dynamic or differencing", "disk", "new", "{0}/d.qcow2", "--size", "1M", "--type", "sparse")]
    [InlineData("'{0}/d.vhdx': HyperNest's dynamic disks are qcow2 images; give it a name ending in .qcow2 (Convert-VHD makes one from a .vhdx or .vhd)", "disk", "new", "{0}/d.vhdx", "--size", "1M")]
    [InlineData("a size of 1000 bytes is not a positive multiple of 512 (the disk's sector size)", "disk", "new", "{0}/d.qcow2", "--size", "1000B")]
    [InlineData("the virtual hard disk '{0}/none.qcow2' does not exist", "disk", "show", "{0}/none.qcow2")]
    [InlineData("give either --size or --to-minimum", "disk", "resize", "{0}/r.img")]
    [InlineData("'{0}/out.vhdx': HyperNest converts into raw (fixed) and qcow2 (dynamic) disks; give it a name ending in .qcow2, or any other but .vhdx and .vhd for raw", "disk", "convert", "{0}/r.img", "{0}/out.vhdx")]
    public void A_Bad_Disk_Command_Exits_2_With_One_Line_And_Makes_No_File(string message, params string[] args)
    {
        File.WriteAllBytes(PathOf("r.img"), new byte[4096]);

        string line = _home.Fails([.. args.Select(a => string.Format(System.Globalization.CultureInfo.InvariantCulture, a, _home.Path))]);

        Assert.Equal($"hnest: {string.Format(System.Globalization.CultureInfo.InvariantCulture, message, _home.Path)}", line);
        Assert.Equal([PathOf("r.img")], Directory.GetFiles(_home.Path));
    }

    /// <summary>Found by a newcomer's try: a 300-character file name once ended as "unexpected error", exit 1.</summary>
    [Fact]
    public void A_File_Name_Too_Long_For_The_File_System_Is_Bad_Input()
    {
        string line = _home.Fails("disk", "new", PathOf(new string('L', 300) + ".qcow2"), "--size", "1G");

        Assert.StartsWith("hnest: ", line, StringComparison.Ordinal);
        Assert.Contains("too long", line, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(_home.Path));
    }

    [Fact]
    public void A_Failed_Vm_New_With_A_New_Disk_Leaves_No_Vm_And_No_Disk()
    {
        Assert.Equal("hnest: a size of 1000 bytes is not a positive multiple of 512 (the disk's sector size)",
            _home.Fails("vm", "new", "W", "--new-disk", PathOf("W.qcow2"), "--new-disk-size", "1000B"));

        Assert.False(File.Exists(PathOf("W.qcow2")));
        Assert.Equal("[]", _home.Ok("vm", "list", "--json").Stdout.Trim());
    }

    [Fact]
    public void A_Disk_Of_1000_Bytes_Is_Attached_With_A_Stderr_Warning_Naming_Its_Unreachable_Tail()
    {
        File.WriteAllBytes(PathOf("odd.img"), new byte[1000]);
        string warning = $"hnest: warning: disk '{PathOf("odd.img")}' is 1000 bytes, not a multiple of 512: the guest sees 512 bytes (1 sector) and cannot reach its last 488 bytes (bytes 512 to 999)";
        _home.Ok("vm", "new", "web");

        HnestProcess.Result added = _home.Ok("vm", "disk", "add", "web", PathOf("odd.img"));
        HnestProcess.Result created = _home.Ok("vm", "new", "other", "--disk", PathOf("odd.img"));
        HnestProcess.Result run = HnestProcess.RunWithEnvironment(
            new Dictionary<string, string> { ["HYPERNEST_KVM_DEVICE"] = "/nonexistent" }, "run", "--accel", "kvm", "--disk", PathOf("odd.img"));

        Assert.Equal([warning], added.StderrLines);
        Assert.Equal([warning], created.StderrLines);
        Assert.Equal(warning, run.StderrLines[0]);
    }
}
