using System.Buffers.Binary;
using HyperNest.Vmm.Devices.Virtio;
using HyperNest.Vmm.Disks.Qcow2;

namespace HyperNest.Vmm.Tests.Disks;

/// <summary>
/// A qcow2 file is untrusted input: what HyperNest does not support, and every header or table that breaks the
/// format, is refused when the image is opened, with one line naming the file and the problem.
/// </summary>
public sealed class Qcow2RefusalTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void A_File_Without_The_Qcow2_Magic_Is_Not_A_Qcow2_Image()
    {
        string path = _folder.Raw("raw-content.qcow2", new byte[1 << 20]);

        AssertRefused(path, "is not a qcow2 image");
    }

    [SkippableTheory]
    [InlineData(4, 4u, "is qcow2 version 4")]
    [InlineData(20, 8u, "cluster")]
    [InlineData(20, 22u, "cluster")]
    [InlineData(32, 1u, "encrypted")]
    [InlineData(36, 0u, "does not cover the virtual size")]
    [InlineData(36, 0x0800_0000u, "above 32 MiB")]
    [InlineData(56, 0u, "refcount table")]
    [InlineData(96, 7u, "refcount order 7")]
    [InlineData(100, 105u, "header length 105")]
    public void A_Header_Field_Out_Of_Range_Is_Refused(int offset, uint value, string problem)
    {
        string path = NewImage();
        PatchUInt32(path, offset, value);

        AssertRefused(path, problem);
    }

    [SkippableTheory]
    [InlineData(24, 1UL << 60, "above 64 PiB")]
    [InlineData(40, 1UL << 40, "L1 table at offset 1099511627776")]
    [InlineData(40, 0x30008UL, "L1 table at offset 196616")]
    [InlineData(48, 1UL << 40, "refcount table at offset 1099511627776")]
    [InlineData(72, 1UL << 0, "dirty bit")]
    [InlineData(72, 1UL << 1, "marked corrupt")]
    [InlineData(72, 1UL << 2, "external data file")]
    [InlineData(72, 1UL << 4, "extended L2 entries")]
    [InlineData(72, 1UL << 5, "incompatible feature bits 0x20")]
    public void A_Header_Offset_Or_Feature_Bit_HyperNest_Cannot_Honour_Is_Refused(int offset, ulong value, string problem)
    {
        string path = NewImage();
        PatchUInt64(path, offset, value);

        AssertRefused(path, problem);
    }

    [SkippableFact]
    public void Compressed_Clusters_Are_Refused()
    {
        QemuImg.SkipUnlessAvailable();
        string raw = _folder.Raw("data.raw", [.. Enumerable.Range(0, 1 << 20).Select(i => (byte)(i / 100))]);
        string path = _folder.Path("compressed.qcow2");
        QemuImg.Ok("convert", "-c", "-f", "raw", "-O", "qcow2", raw, path);

        AssertRefused(path, "compressed clusters");
    }

    [SkippableFact]
    public void Extended_L2_Entries_Made_By_Qemu_Are_Refused()
    {
        QemuImg.SkipUnlessAvailable();
        string path = _folder.Path("subclusters.qcow2");
        QemuImg.Ok("create", "-f", "qcow2", "-o", "extended_l2=on", path, "1M");

        AssertRefused(path, "extended L2 entries");
    }

    [SkippableFact]
    public void A_Backing_File_Name_Longer_Than_1023_Bytes_Is_Refused()
    {
        string path = NewImage();
        PatchUInt64(path, 8, 4096);
        PatchUInt32(path, 16, 2000);

        AssertRefused(path, "backing file name of 2000 bytes");
    }

    [SkippableTheory]
    [InlineData((byte)'\n')]
    [InlineData((byte)'\r')]
    [InlineData((byte)0x1B)]
    [InlineData((byte)0x7F)]
    public void A_Backing_File_Name_With_A_Control_Character_Is_Refused(byte control)
    {
        // A name that would break the one-line message naming it (or a terminal showing it) names no file a user made.
        string path = NewImage();
        Patch(path, 4096, [(byte)'b', control, (byte)'.', (byte)'r', (byte)'a', (byte)'w']);
        PatchUInt64(path, 8, 4096);
        PatchUInt32(path, 16, 6);

        AssertRefused(path, "backing file name holds a control character");
    }

    /// <summary>
    /// A backing file name offset near 2^64 whose sum with the length wraps around past the first cluster's bounds check:
    /// ArgumentOutOfRangeException escaped Open. Found by the qcow2 fuzz target (fuzz/regressions/qcow2).
    /// </summary>
    [SkippableTheory]
    [InlineData(0xFFFF_FFFF_FFFF_FF00UL)]
    [InlineData(0x8000_0000_0000_0000UL)]
    [InlineData(0x0000_0001_0000_0000UL)]
    public void A_Backing_File_Name_Offset_That_Wraps_Around_Is_Refused(ulong offset)
    {
        string path = NewImage();
        PatchUInt64(path, 8, offset);
        PatchUInt32(path, 16, 0x100);

        AssertRefused(path, "backing file name lies outside the first cluster");
    }

    [SkippableFact]
    public void A_Missing_Backing_File_Is_Named()
    {
        QemuImg.SkipUnlessAvailable();
        string path = _folder.Path("orphan.qcow2");
        QemuImg.Ok("create", "-f", "qcow2", "-u", "-b", "gone.raw", "-F", "raw", path, "1M");

        AssertRefused(path, $"backing file '{_folder.Path("gone.raw")}': no such file");
    }

    [SkippableFact]
    public void A_Backing_Format_Other_Than_Raw_Or_Qcow2_Is_Refused()
    {
        QemuImg.SkipUnlessAvailable();
        _folder.Raw("base.raw", new byte[1 << 20]);
        string path = _folder.Path("overlay.qcow2");
        QemuImg.Ok("create", "-f", "qcow2", "-b", "base.raw", "-F", "raw", path);
        byte[] header = File.ReadAllBytes(path)[..4096];
        int format = header.AsSpan().IndexOf("raw"u8);
        Patch(path, format, "vmd"u8);

        AssertRefused(path, "backing file of format 'vmd'");
    }

    [SkippableFact]
    public void A_Backing_Chain_That_Loops_Is_Refused()
    {
        QemuImg.SkipUnlessAvailable();
        QemuImg.Ok("create", "-f", "qcow2", _folder.Path("a.qcow2"), "1M");
        QemuImg.Ok("create", "-f", "qcow2", "-b", "a.qcow2", "-F", "qcow2", _folder.Path("b.qcow2"));
        QemuImg.Ok("rebase", "-u", "-b", "b.qcow2", "-F", "qcow2", _folder.Path("a.qcow2"));

        AssertRefused(_folder.Path("a.qcow2"), "backing chain loops");
    }

    [SkippableFact]
    public void A_Backing_Chain_Deeper_Than_64_Images_Is_Refused()
    {
        QemuImg.SkipUnlessAvailable();
        QemuImg.Ok("create", "-f", "qcow2", _folder.Path("0.qcow2"), "1M");
        for (int level = 1; level <= Qcow2Image.MaxBackingChainDepth + 1; level++)
        {
            QemuImg.Ok("create", "-f", "qcow2", "-u", "-b", $"{level - 1}.qcow2", "-F", "qcow2", _folder.Path($"{level}.qcow2"), "1M");
        }

        using (Qcow2Image.Open(_folder.Path($"{Qcow2Image.MaxBackingChainDepth}.qcow2"), readOnly: true))
        {
        }

        AssertRefused(_folder.Path($"{Qcow2Image.MaxBackingChainDepth + 1}.qcow2"), "deeper than 64 images");
    }

    [SkippableTheory]
    [InlineData(1UL << 40, "not a cluster inside the file")]
    [InlineData(0x50000UL | (1UL << 63) | 0x100, "reserved bits set")]
    [InlineData(0x8000_0000_0000_0000UL, "not a cluster inside the file")]
    public void An_L2_Entry_Outside_The_File_Or_With_Reserved_Bits_Is_Refused(ulong entry, string problem)
    {
        string path = ImageWithOneCluster();
        PatchUInt64(path, L2TableOffset(path), entry == 0x8000_0000_0000_0000UL ? entry | 0x200 : entry);

        AssertRefused(path, problem);
    }

    [SkippableFact]
    public void An_L2_Entry_Pointing_At_The_Image_Metadata_Is_Refused_For_Writing()
    {
        string path = ImageWithOneCluster();
        long l1 = (long)ReadUInt64(path, 40);
        PatchUInt64(path, L2TableOffset(path), (ulong)l1 | (1UL << 63));

        var error = Assert.Throws<DiskException>(() => Qcow2Image.Open(path));

        Assert.Contains("inside the image's own metadata", error.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// Two L2 entries naming one host cluster, both claiming refcount 1 (bit 63): a write in place to one guest cluster
    /// would change the other. Found by the qcow2 fuzz target (fuzz/regressions/qcow2). Reading such an image is
    /// harmless (both guest clusters read the same bytes, as qemu-img reads them).
    /// </summary>
    [SkippableFact]
    public void Two_L2_Entries_Naming_One_Data_Cluster_Are_Refused_For_Writing_But_Read()
    {
        string path = NewImage();
        QemuImg.Io(path, "write -P 0x55 0 64k");
        QemuImg.Io(path, "write -P 0xaa 64k 64k");
        long l2 = L2TableOffset(path);
        PatchUInt64(path, l2 + 8, ReadUInt64(path, l2));

        var error = Assert.Throws<DiskException>(() => Qcow2Image.Open(path));

        Assert.Contains("name the data cluster at offset", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
        using var image = Qcow2Image.Open(path, readOnly: true);
        var second = new byte[64 * 1024];
        image.Read(second, 64 * 1024);
        Assert.All(second, b => Assert.Equal(0x55, b));
    }

    /// <summary>
    /// Metadata structures sharing a cluster: a refcount block that is also the L1 table or the refcount table, or two
    /// refcount table entries naming one block. Writing refcounts then changes the other structure (found by the qcow2
    /// fuzz target: a write set a refcount bit inside the L1 table, and the image no longer opened). Reading is
    /// harmless: it never writes refcounts.
    /// </summary>
    [SkippableTheory]
    [InlineData("L1 table")]
    [InlineData("refcount table")]
    [InlineData("second refcount table entry")]
    public void Metadata_Structures_Sharing_A_Cluster_Are_Refused_For_Writing_But_Read(string sharedWith)
    {
        string path = ImageWithOneCluster();
        long refcountTable = (long)ReadUInt64(path, 48);
        (long at, ulong block) = sharedWith switch
        {
            "L1 table" => (refcountTable, ReadUInt64(path, 40)),
            "refcount table" => (refcountTable, (ulong)refcountTable),
            _ => (refcountTable + 8, ReadUInt64(path, refcountTable)),
        };
        PatchUInt64(path, at, block);

        var error = Assert.Throws<DiskException>(() => Qcow2Image.Open(path));

        Assert.Contains($"overlaps other metadata at offset {block}", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
        using var image = Qcow2Image.Open(path, readOnly: true);
        var data = new byte[64 * 1024];
        image.Read(data, 0);
        Assert.All(data, b => Assert.Equal(0x55, b));
    }

    [SkippableFact]
    public void Internal_Snapshots_Are_Refused_For_Writing_But_Read()
    {
        string path = ImageWithOneCluster();
        QemuImg.Ok("snapshot", "-c", "before", path);

        var error = Assert.Throws<DiskException>(() => Qcow2Image.Open(path));

        Assert.Contains("has 1 internal snapshots", error.Message, StringComparison.Ordinal);
        Assert.Equal(QemuImg.ContentOf(path), Disk.ContentOf(path));
    }

    /// <summary>A 1 MiB qcow2 image of 64 KiB clusters made by qemu-img (header, refcount table and block, L1).</summary>
    private string NewImage()
    {
        QemuImg.SkipUnlessAvailable();
        string path = _folder.Path($"crafted-{Guid.NewGuid():N}.qcow2");
        QemuImg.Ok("create", "-f", "qcow2", path, "1M");
        return path;
    }

    private string ImageWithOneCluster()
    {
        string path = NewImage();
        QemuImg.Io(path, "write -P 0x55 0 64k");
        return path;
    }

    private static long L2TableOffset(string path) => (long)(ReadUInt64(path, (long)ReadUInt64(path, 40)) & 0x00FF_FFFF_FFFF_FE00);

    private static void AssertRefused(string path, string problem)
    {
        foreach (bool readOnly in new[] { true, false })
        {
            var error = Assert.Throws<DiskException>(() => Qcow2Image.Open(path, readOnly));

            Assert.Equal(path, error.Path);
            Assert.StartsWith($"disk image '{path}': ", error.Message, StringComparison.Ordinal);
            Assert.Contains(problem, error.Message, StringComparison.Ordinal);
            Assert.DoesNotContain('\n', error.Message);
        }
    }

    private static ulong ReadUInt64(string path, long offset)
    {
        using var file = File.OpenHandle(path);
        Span<byte> field = stackalloc byte[8];
        RandomAccess.Read(file, field, offset);
        return BinaryPrimitives.ReadUInt64BigEndian(field);
    }

    private static void PatchUInt32(string path, long offset, uint value)
    {
        Span<byte> field = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(field, value);
        Patch(path, offset, field);
    }

    private static void PatchUInt64(string path, long offset, ulong value)
    {
        Span<byte> field = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(field, value);
        Patch(path, offset, field);
    }

    private static void Patch(string path, long offset, ReadOnlySpan<byte> bytes)
    {
        using var file = File.OpenHandle(path, FileMode.Open, FileAccess.Write);
        RandomAccess.Write(file, bytes, offset);
    }
}
