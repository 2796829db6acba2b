using System.Text.Json;
using HyperNest.Vmm.Devices.Virtio;
using HyperNest.Vmm.Disks;
using HyperNest.Vmm.Disks.Qcow2;

namespace HyperNest.Vmm.Tests.Disks;

/// <summary>Images HyperNest creates are what qemu-img info and check expect: empty, consistent, with their backing file.</summary>
public sealed class Qcow2CreateTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [SkippableTheory]
    [InlineData(512, 1L << 30)]
    [InlineData(65536, 10L << 30)]
    [InlineData(2 * 1024 * 1024, 1L << 40)]
    [InlineData(65536, 1000448L)]
    public void A_New_Image_Is_Empty_Consistent_Version_3_With_The_Size_And_Cluster_Size_Asked(int clusterSize, long size)
    {
        QemuImg.SkipUnlessAvailable();
        string path = _folder.Path("new.qcow2");

        Qcow2Image.Create(path, size, clusterSize: clusterSize);

        JsonElement info = Info(path);
        Assert.Equal(size, info.GetProperty("virtual-size").GetInt64());
        Assert.Equal(clusterSize, info.GetProperty("cluster-size").GetInt32());
        Assert.Equal("1.1", info.GetProperty("format-specific").GetProperty("data").GetProperty("compat").GetString());
        QemuImg.AssertConsistent(path);
        (int code, string output) = QemuImg.Run("map", "--output=json", path);
        Assert.Equal(0, code);
        Assert.DoesNotContain("\"data\": true", output, StringComparison.Ordinal);
    }

    [SkippableTheory]
    [InlineData("base.raw", null, "raw")]
    [InlineData("base.qcow2", null, "qcow2")]
    [InlineData("base.img", DiskFormat.Raw, "raw")]
    public void An_Overlay_Records_Its_Backing_File_As_Given_And_Its_Format_And_Takes_Its_Size(string backing, DiskFormat? format, string expectedFormat)
    {
        QemuImg.SkipUnlessAvailable();
        QemuImg.Ok("create", "-f", expectedFormat, _folder.Path(backing), "3M");
        string overlay = _folder.Path("overlay.qcow2");

        Qcow2Image.Create(overlay, null, backing, format);

        JsonElement info = Info(overlay);
        Assert.Equal(3L << 20, info.GetProperty("virtual-size").GetInt64());
        Assert.Equal(backing, info.GetProperty("backing-filename").GetString());
        Assert.Equal(expectedFormat, info.GetProperty("backing-filename-format").GetString());
        QemuImg.AssertConsistent(overlay);
        QemuImg.AssertIdentical(overlay, "qcow2", _folder.Path(backing), expectedFormat);
    }

    [SkippableFact]
    public void An_Overlay_May_Be_Larger_Than_Its_Backing_File()
    {
        QemuImg.SkipUnlessAvailable();
        _folder.Raw("base.raw", new byte[1 << 20]);
        string overlay = _folder.Path("overlay.qcow2");

        Qcow2Image.Create(overlay, 4L << 20, "base.raw");

        Assert.Equal(4L << 20, Info(overlay).GetProperty("virtual-size").GetInt64());
    }

    [Fact]
    public void An_Existing_File_Is_Never_Overwritten()
    {
        string path = _folder.Raw("taken.qcow2", [1, 2, 3]);

        var error = Assert.Throws<DiskException>(() => Qcow2Image.Create(path, 1 << 20));

        Assert.Contains("already exists", error.Message, StringComparison.Ordinal);
        Assert.Equal([1, 2, 3], File.ReadAllBytes(path));
    }

    [Fact]
    public void A_Missing_Backing_File_Is_Refused_Naming_It()
    {
        string overlay = _folder.Path("overlay.qcow2");

        var error = Assert.Throws<DiskException>(() => Qcow2Image.Create(overlay, null, "missing.raw"));

        Assert.Contains($"backing file '{_folder.Path("missing.raw")}': no such file", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(overlay));
    }

    [Theory]
    [InlineData(1000)]
    [InlineData(256)]
    [InlineData(4 * 1024 * 1024)]
    public void A_Cluster_Size_That_Is_Not_A_Power_Of_Two_From_512_To_2_MiB_Is_Refused(int clusterSize)
    {
        var error = Assert.Throws<DiskException>(() => Qcow2Image.Create(_folder.Path("x.qcow2"), 1 << 20, clusterSize: clusterSize));

        Assert.Contains($"cluster size {clusterSize} is not a power of two from 512 bytes to 2 MiB", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(-1L)]
    public void A_Size_That_Is_Not_Positive_Is_Refused(long size)
    {
        Assert.Throws<DiskException>(() => Qcow2Image.Create(_folder.Path("x.qcow2"), size));
    }

    private static JsonElement Info(string path) => JsonDocument.Parse(QemuImg.Ok("info", "--output=json", path)).RootElement;
}
