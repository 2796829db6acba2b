namespace HyperNest.Fuzz;

/// <summary>
/// A folder of this process's own under /dev/shm for the files a target feeds the product (an image, a kernel, a
/// state file): tmpfs, so writing one per input costs microseconds and an fsync nothing. Made on first use, emptied
/// of what a run leaves by the target itself, removed when the process exits; the folders of processes that were
/// killed (libFuzzer ends its child with a signal) are removed by the next one.
/// </summary>
public static class ScratchFolder
{
    private static readonly Lazy<string> Folder = new(Create);

    /// <summary>The folder (absolute, no trailing slash).</summary>
    public static string Path => Folder.Value;

    /// <summary>A file name in the folder.</summary>
    public static string File(string name) => System.IO.Path.Combine(Path, name);

    private static string Create()
    {
        string root = Directory.Exists("/dev/shm") ? "/dev/shm" : System.IO.Path.GetTempPath();
        foreach (string stale in Directory.GetDirectories(root, "hnest-fuzz-*"))
        {
            if (int.TryParse(System.IO.Path.GetFileName(stale)["hnest-fuzz-".Length..], out int pid) && !Directory.Exists($"/proc/{pid}"))
            {
                TryDelete(stale);
            }
        }

        string folder = System.IO.Path.Combine(root, $"hnest-fuzz-{Environment.ProcessId}");
        Directory.CreateDirectory(folder);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => TryDelete(folder);
        return folder;
    }

    private static void TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }
}
