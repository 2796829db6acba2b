using System.Globalization;
using System.Text;

namespace HyperNest.Emulation.Cpio;

/// <summary>
/// Writes a cpio archive in the "newc" format (magic 070701), the format the Linux kernel unpacks as initramfs
/// (Linux <c>Documentation/driver-api/early-userspace/buffer-format.rst</c>). A fresh machine has no <c>cpio</c>
/// tool, so the lab writes its archives here.
/// </summary>
/// <remarks>
/// Each entry is a 110-byte ASCII header (the magic and thirteen 8-digit hex fields), the path name with its NUL,
/// padding to a 4-byte boundary, the data, and padding to a 4-byte boundary again. The archive ends with an entry
/// named <c>TRAILER!!!</c>. Parent directories are written before their children (the kernel creates entries in
/// archive order and does not create missing parents); timestamps and owners are zero so archives are reproducible.
/// </remarks>
public sealed class NewcArchiveWriter : IDisposable
{
    public const string Magic = "070701";
    public const string TrailerName = "TRAILER!!!";
    public const int HeaderLength = 110;
    public const int Alignment = 4;

    // File type bits of st_mode (POSIX <sys/stat.h>).
    public const int TypeDirectory = 0x4000;
    public const int TypeRegularFile = 0x8000;
    public const int TypeSymlink = 0xA000;
    public const int TypeCharacterDevice = 0x2000;

    private readonly Stream _output;
    private readonly bool _leaveOpen;
    private readonly HashSet<string> _directories = new(StringComparer.Ordinal) { "" };
    private readonly HashSet<string> _paths = new(StringComparer.Ordinal);
    private uint _nextInode = 1;
    private long _position;
    private bool _finished;

    public NewcArchiveWriter(Stream output, bool leaveOpen = false)
    {
        _output = output;
        _leaveOpen = leaveOpen;
    }

    /// <summary>Adds a directory (and any missing parents). Adding an existing directory again is a no-op.</summary>
    public void AddDirectory(string path, int permissions = 0b111_101_101)
    {
        string name = Normalize(path);
        if (_directories.Contains(name))
        {
            return;
        }

        EnsureParents(name);
        WriteEntry(name, TypeDirectory | permissions, nlink: 2, ReadOnlySpan<byte>.Empty);
        _directories.Add(name);
    }

    public void AddFile(string path, ReadOnlySpan<byte> content, int permissions = 0b110_100_100)
    {
        string name = Normalize(path);
        EnsureParents(name);
        WriteEntry(name, TypeRegularFile | permissions, nlink: 1, content);
    }

    public void AddFile(string path, string content, int permissions = 0b110_100_100) =>
        AddFile(path, Encoding.UTF8.GetBytes(content), permissions);

    /// <summary>Adds a host file's content under <paramref name="path"/>, following symlinks on the host side.</summary>
    public void AddHostFile(string path, string hostPath, int permissions) =>
        AddFile(path, File.ReadAllBytes(hostPath), permissions);

    /// <summary>Adds a symlink; its data is the target path, without a NUL.</summary>
    public void AddSymlink(string path, string target)
    {
        string name = Normalize(path);
        EnsureParents(name);
        WriteEntry(name, TypeSymlink | 0b111_111_111, nlink: 1, Encoding.UTF8.GetBytes(target));
    }

    /// <summary>
    /// Adds a character device node, e.g. <c>/dev/console</c> (5, 1): the kernel opens it for init's stdio before
    /// init can mount devtmpfs.
    /// </summary>
    public void AddCharacterDevice(string path, int major, int minor, int permissions = 0b110_000_000)
    {
        string name = Normalize(path);
        EnsureParents(name);
        WriteEntry(name, TypeCharacterDevice | permissions, nlink: 1, ReadOnlySpan<byte>.Empty, major, minor);
    }

    public bool Contains(string path) => _paths.Contains(Normalize(path)) || _directories.Contains(Normalize(path));

    /// <summary>Writes the trailer entry. The archive is complete only after this.</summary>
    public void Finish()
    {
        if (_finished)
        {
            return;
        }

        WriteHeaderAndName(TrailerName, mode: 0, nlink: 1, fileSize: 0, inode: 0, rdevMajor: 0, rdevMinor: 0);
        _output.Flush();
        _finished = true;
    }

    public void Dispose()
    {
        Finish();
        if (!_leaveOpen)
        {
            _output.Dispose();
        }
    }

    private void EnsureParents(string name)
    {
        int slash = name.LastIndexOf('/');
        if (slash > 0)
        {
            AddDirectory(name[..slash]);
        }
    }

    private void WriteEntry(string name, int mode, int nlink, ReadOnlySpan<byte> data, int rdevMajor = 0, int rdevMinor = 0)
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        if (!_paths.Add(name))
        {
            throw new InvalidOperationException($"cpio: '{name}' is already in the archive");
        }

        WriteHeaderAndName(name, mode, nlink, data.Length, _nextInode++, rdevMajor, rdevMinor);
        _output.Write(data);
        _position += data.Length;
        WritePadding();
    }

    private void WriteHeaderAndName(string name, int mode, int nlink, int fileSize, uint inode, int rdevMajor, int rdevMinor)
    {
        byte[] nameBytes = Encoding.UTF8.GetBytes(name);
        var header = new StringBuilder(HeaderLength);
        header.Append(Magic);
        AppendField(header, inode);
        AppendField(header, (uint)mode);
        AppendField(header, 0); // uid
        AppendField(header, 0); // gid
        AppendField(header, (uint)nlink);
        AppendField(header, 0); // mtime
        AppendField(header, (uint)fileSize);
        AppendField(header, 0); // devmajor
        AppendField(header, 0); // devminor
        AppendField(header, (uint)rdevMajor);
        AppendField(header, (uint)rdevMinor);
        AppendField(header, (uint)nameBytes.Length + 1); // namesize counts the NUL
        AppendField(header, 0); // check: only used by the "070702" (crc) variant

        _output.Write(Encoding.ASCII.GetBytes(header.ToString()));
        _output.Write(nameBytes);
        _output.WriteByte(0);
        _position += HeaderLength + nameBytes.Length + 1;
        WritePadding();
    }

    private void WritePadding()
    {
        int padding = (int)((Alignment - (_position % Alignment)) % Alignment);
        Span<byte> zeros = stackalloc byte[Alignment];
        zeros.Clear();
        _output.Write(zeros[..padding]);
        _position += padding;
    }

    private static void AppendField(StringBuilder header, uint value) =>
        header.Append(value.ToString("X8", CultureInfo.InvariantCulture));

    /// <summary>Archive names are relative ("bin/sh"), as the kernel and GNU cpio expect.</summary>
    private static string Normalize(string path)
    {
        string name = path.Trim('/');
        if (name.Length == 0 || name.Split('/').Any(part => part is "" or "." or ".."))
        {
            throw new ArgumentException($"cpio: bad archive path '{path}'", nameof(path));
        }

        return name;
    }
}
