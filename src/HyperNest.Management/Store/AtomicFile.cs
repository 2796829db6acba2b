using HyperNest.Kvm;

namespace HyperNest.Management.Store;

/// <summary>
/// Replaces a file so that readers see the old content or the new, never a mix: write a temporary file in the
/// same directory, fsync it, rename it over the target (atomic within a file system), fsync the directory so the
/// rename itself survives a power cut. The new file has its group and file mode from the moment it exists (made
/// 0600, then given them).
/// </summary>
/// <param name="access">Who may read the files written (docs/architecture.md, "Access"), asked at each write.</param>
public sealed class AtomicFile(Func<HostFileAccess> access)
{
    /// <summary>The prefix of temporary files; readers skip them (a crash can leave one behind).</summary>
    public const string TemporaryPrefix = ".tmp-";

    /// <summary>Test seam: called before each step; throwing from it simulates a crash at that point.</summary>
    internal Action<AtomicWriteStep>? BeforeStep { get; set; }

    /// <summary>Replaces <paramref name="path"/> with <paramref name="content"/>. Throws IOException, UnauthorizedAccessException or KvmException.</summary>
    public void Write(string path, ReadOnlySpan<byte> content)
    {
        string directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        string temporary = Path.Combine(directory, $"{TemporaryPrefix}{Path.GetFileName(path)}-{Guid.NewGuid():N}");
        try
        {
            BeforeStep?.Invoke(AtomicWriteStep.CreateTemporary);
            using (FileStream stream = access().OpenFile(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                int half = content.Length / 2;
                stream.Write(content[..half]);
                BeforeStep?.Invoke(AtomicWriteStep.WriteContent);
                stream.Write(content[half..]);
                BeforeStep?.Invoke(AtomicWriteStep.FlushFile);
                stream.Flush(flushToDisk: true);
            }

            BeforeStep?.Invoke(AtomicWriteStep.Rename);
            File.Move(temporary, path, overwrite: true);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }

        BeforeStep?.Invoke(AtomicWriteStep.FlushDirectory);
        DirectorySync.Flush(directory);
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // A leftover temporary file is harmless: readers skip it.
        }
    }
}
