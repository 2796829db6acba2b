using HyperNest.Kvm;
using Microsoft.Win32.SafeHandles;

namespace HyperNest.Vmm.Boot;

/// <summary>
/// A kernel or initrd: open from the moment it is checked until it is loaded, then read straight into its place in
/// guest RAM. The VMM never holds a copy of it: a 14 MiB kernel and its initrd read into a buffer first were ~20 MiB
/// of the VMM's resident memory on top of the guest's copy while the VM was built (docs/benchmarks.md).
/// </summary>
public sealed class BootFile : IDisposable
{
    private readonly SafeFileHandle? _file;
    private readonly ReadOnlyMemory<byte> _bytes;
    private readonly string _description;

    private BootFile(SafeFileHandle? file, ReadOnlyMemory<byte> bytes, long length, string description)
    {
        _file = file;
        _bytes = bytes;
        Length = length;
        _description = description;
    }

    /// <summary>No file: length 0.</summary>
    public static BootFile None { get; } = FromBytes(ReadOnlyMemory<byte>.Empty, "nothing");

    /// <summary>Its length in bytes when it was opened (at most 2 GiB).</summary>
    public long Length { get; }

    /// <summary>Bytes already in memory (the built-in guest, tests); <paramref name="name"/> names them in errors.</summary>
    public static BootFile FromBytes(ReadOnlyMemory<byte> bytes, string name) => new(null, bytes, bytes.Length, name);

    /// <summary>
    /// Opens <paramref name="path"/> (<paramref name="what"/>: "kernel", "initrd") for reading; every failure is a
    /// <see cref="VmBuildException"/> naming it.
    /// </summary>
    public static BootFile Open(string path, string what)
    {
        string description = $"{what} '{path}'";
        if (Directory.Exists(path))
        {
            throw new VmBuildException($"{description} is a directory, not a file");
        }

        SafeFileHandle? file = null;
        try
        {
            file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            long length = RandomAccess.GetLength(file);
            if (length > int.MaxValue)
            {
                throw new VmBuildException($"{description} is larger than 2 GiB");
            }

            return new BootFile(file, ReadOnlyMemory<byte>.Empty, length, description);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            file?.Dispose();
            throw new VmBuildException($"{description} {Reason(e)}");
        }
        catch
        {
            file?.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Fills <paramref name="destination"/> with the bytes from <paramref name="offset"/> on. A file that no longer
    /// has them (it shrank since it was opened) or cannot be read is a <see cref="VmBuildException"/> naming it.
    /// </summary>
    public void ReadAt(long offset, Span<byte> destination)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        if (_file is null)
        {
            if (offset + destination.Length > _bytes.Length)
            {
                throw Shorter(offset + destination.Length);
            }

            _bytes.Span.Slice((int)offset, destination.Length).CopyTo(destination);
            return;
        }

        long end = offset + destination.Length;
        try
        {
            while (!destination.IsEmpty)
            {
                int read = RandomAccess.Read(_file, destination, offset);
                if (read == 0)
                {
                    throw Shorter(end);
                }

                destination = destination[read..];
                offset += read;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            throw new VmBuildException($"{_description} {Reason(e)}");
        }
    }

    public void Dispose() => _file?.Dispose();

    private VmBuildException Shorter(long needed) =>
        new($"{_description} ends before byte {needed}: it changed after it was opened ({Length} bytes then)");

    private static string Reason(Exception e) => e switch
    {
        FileNotFoundException or DirectoryNotFoundException => "does not exist",
        UnauthorizedAccessException => "is not readable (permission denied)",
        NotSupportedException => "is not a regular file",
        _ => $"cannot be read: {e.UserMessage()}",
    };
}
