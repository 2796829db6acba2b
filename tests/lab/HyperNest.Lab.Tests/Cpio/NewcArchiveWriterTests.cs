using System.Diagnostics;
using System.Runtime.Versioning;
using System.Text;
using HyperNest.Lab.Cpio;

namespace HyperNest.Lab.Tests.Cpio;

public sealed class NewcArchiveWriterTests
{
    private const int RegularFile = 0x8000;

    [Fact]
    public void File_Reads_Back_With_Its_Name_Mode_And_Content()
    {
        byte[] archive = Write(w => w.AddFile("init", "#!/bin/sh\necho hi\n", 0b111_101_101));

        NewcEntry init = Assert.Single(NewcReader.Read(archive));
        Assert.Equal("init", init.Name);
        Assert.Equal((uint)RegularFile, init.FileType);
        Assert.Equal(0b111_101_101u, init.Permissions);
        Assert.Equal(1u, init.Nlink);
        Assert.Equal("#!/bin/sh\necho hi\n", Encoding.UTF8.GetString(init.Data));
    }

    [Fact]
    public void Archive_Ends_With_The_Trailer_On_A_Four_Byte_Boundary()
    {
        byte[] archive = Write(w => w.AddFile("a", "xyz"));

        NewcReader.Read(archive, out long endOfTrailer);
        Assert.Equal(archive.Length, endOfTrailer);
        Assert.Equal(0, archive.Length % 4);
        Assert.Contains("TRAILER!!!\0", Encoding.ASCII.GetString(archive), StringComparison.Ordinal);
    }

    [Fact]
    public void Empty_Archive_Is_Just_The_Trailer()
    {
        byte[] archive = Write(_ => { });

        Assert.Empty(NewcReader.Read(archive, out long end));
        // 110-byte header + "TRAILER!!!\0" = 121 bytes, padded to 124.
        Assert.Equal(124, end);
    }

    [Theory]
    [InlineData(1, 0)]
    [InlineData(2, 1)]
    [InlineData(3, 2)]
    [InlineData(4, 3)]
    [InlineData(5, 5)]
    [InlineData(7, 4096)]
    [InlineData(8, 4097)]
    public void Every_Header_And_Data_Start_On_Four_Byte_Boundaries(int nameLength, int dataLength)
    {
        string name = new('n', nameLength);
        byte[] data = Enumerable.Range(0, dataLength).Select(i => (byte)(i + 1)).ToArray();

        byte[] archive = Write(w =>
        {
            w.AddFile(name, data);
            w.AddFile(name + "2", data);
        });

        List<NewcEntry> entries = NewcReader.Read(archive);
        Assert.Equal(2, entries.Count);
        Assert.All(entries, e => Assert.Equal(data, e.Data));
        Assert.All(entries, e => Assert.Equal(0, e.Offset % 4));
    }

    [Fact]
    public void Missing_Parent_Directories_Are_Written_Before_Their_Children()
    {
        byte[] archive = Write(w => w.AddFile("lib/x86_64-linux-gnu/libc.so.6", "elf"));

        List<NewcEntry> entries = NewcReader.Read(archive);
        Assert.Equal(["lib", "lib/x86_64-linux-gnu", "lib/x86_64-linux-gnu/libc.so.6"], entries.Select(e => e.Name));
        Assert.All(entries.Take(2), d => Assert.Equal((uint)NewcArchiveWriter.TypeDirectory, d.FileType));
        Assert.All(entries.Take(2), d => Assert.Equal(2u, d.Nlink));
    }

    [Fact]
    public void A_Directory_Is_Written_Once_However_Often_It_Is_Needed()
    {
        byte[] archive = Write(w =>
        {
            w.AddDirectory("bin");
            w.AddFile("bin/a", "a");
            w.AddFile("/bin/b", "b");
            w.AddDirectory("bin/");
        });

        Assert.Equal(["bin", "bin/a", "bin/b"], NewcReader.Read(archive).Select(e => e.Name));
    }

    [Fact]
    public void Symlink_Data_Is_The_Target_Without_A_Nul()
    {
        byte[] archive = Write(w => w.AddSymlink("sbin/insmod", "/bin/busybox"));

        NewcEntry link = NewcReader.Read(archive).Single(e => e.Name == "sbin/insmod");
        Assert.Equal((uint)NewcArchiveWriter.TypeSymlink, link.FileType);
        Assert.Equal("/bin/busybox", Encoding.UTF8.GetString(link.Data));
    }

    [Fact]
    public void Character_Device_Carries_Its_Major_And_Minor_As_Rdev()
    {
        byte[] archive = Write(w => w.AddCharacterDevice("dev/console", 5, 1));

        NewcEntry console = NewcReader.Read(archive).Single(e => e.Name == "dev/console");
        Assert.Equal((uint)NewcArchiveWriter.TypeCharacterDevice, console.FileType);
        Assert.Equal((5u, 1u), (console.RdevMajor, console.RdevMinor));
        Assert.Empty(console.Data);
    }

    [Fact]
    public void Every_Entry_Has_Its_Own_Inode()
    {
        byte[] archive = Write(w =>
        {
            w.AddFile("a/b", "1");
            w.AddSymlink("a/c", "b");
            w.AddCharacterDevice("d", 1, 3);
        });

        List<NewcEntry> entries = NewcReader.Read(archive);
        Assert.Equal(entries.Count, entries.Select(e => e.Inode).Distinct().Count());
        Assert.DoesNotContain(0u, entries.Select(e => e.Inode));
    }

    [Fact]
    public void Adding_The_Same_Path_Twice_Throws()
    {
        using var writer = new NewcArchiveWriter(new MemoryStream());
        writer.AddFile("init", "1");

        Assert.Throws<InvalidOperationException>(() => writer.AddFile("/init", "2"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("/")]
    [InlineData("a/../b")]
    [InlineData("a//b")]
    [InlineData("./a")]
    public void Paths_That_Are_Empty_Or_Escape_Are_Rejected(string path)
    {
        using var writer = new NewcArchiveWriter(new MemoryStream());

        Assert.Throws<ArgumentException>(() => writer.AddFile(path, "x"));
    }

    [Fact]
    public void Nothing_Can_Be_Added_After_The_Trailer()
    {
        using var writer = new NewcArchiveWriter(new MemoryStream());
        writer.Finish();

        Assert.Throws<ObjectDisposedException>(() => writer.AddFile("late", "x"));
    }

    [SkippableFact]
    [SupportedOSPlatform("linux")]
    [Trait("Requires", "busybox")]
    public void Busybox_Cpio_Extracts_What_Was_Written()
    {
        // A second opinion from a real cpio implementation, where the machine has one (the lab's busybox-static).
        const string busybox = "/bin/busybox";
        Skip.IfNot(File.Exists(busybox), $"{busybox} is missing: a real cpio needs Debian's busybox-static package");

        string directory = Directory.CreateTempSubdirectory("newc-test-").FullName;
        try
        {
            byte[] archive = Write(w =>
            {
                w.AddFile("etc/lab/common.sh", "echo common\n");
                w.AddFile("init", "#!/bin/sh\n", 0b111_101_101);
                w.AddSymlink("bin/sh", "busybox");
            });
            string archivePath = Path.Combine(directory, "archive.cpio");
            File.WriteAllBytes(archivePath, archive);
            string root = Directory.CreateDirectory(Path.Combine(directory, "root")).FullName;

            var start = new ProcessStartInfo(busybox) { WorkingDirectory = root, RedirectStandardError = true };
            foreach (string argument in new[] { "cpio", "-i", "-d", "-F", archivePath })
            {
                start.ArgumentList.Add(argument);
            }

            using Process cpio = Process.Start(start)!;
            string errors = cpio.StandardError.ReadToEnd();
            cpio.WaitForExit();

            Assert.True(cpio.ExitCode == 0, errors);
            Assert.Equal("echo common\n", File.ReadAllText(Path.Combine(root, "etc/lab/common.sh")));
            Assert.Equal(UnixFileMode.UserExecute, File.GetUnixFileMode(Path.Combine(root, "init")) & UnixFileMode.UserExecute);
            Assert.Equal("busybox", new FileInfo(Path.Combine(root, "bin/sh")).LinkTarget);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static byte[] Write(Action<NewcArchiveWriter> build)
    {
        var output = new MemoryStream();
        using (var writer = new NewcArchiveWriter(output, leaveOpen: true))
        {
            build(writer);
        }

        return output.ToArray();
    }
}
