using HyperNest.Kvm;
using static System.IO.UnixFileMode;

namespace HyperNest.Tests;

/// <summary>What a store holds, for tests of its access: its folder and everything in it, links not followed, with lstat's word on each.</summary>
internal static class StoreEntries
{
    public static IReadOnlyList<(string Path, FileStatus Status)> Of(string home) =>
        [.. Directory.EnumerateFileSystemEntries(home, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint })
            .Prepend(home)
            .Select(path => (path, FileStatus.Read(path)!.Value))];

    /// <summary>
    /// Opens the store as HyperNest made stores before it had an access model (folders 0755, files 0644), and its
    /// sockets to anyone (0666). Returns how many entries it opened.
    /// </summary>
    public static int OpenToOthers(string home)
    {
        IReadOnlyList<(string Path, FileStatus Status)> entries = Of(home);
        foreach ((string path, FileStatus status) in entries)
        {
            File.SetUnixFileMode(path, status.Permissions | GroupRead | OtherRead
                | (status.IsDirectory ? GroupExecute | OtherExecute : 0) | (status.IsSocket ? GroupWrite | OtherWrite : 0));
        }

        return entries.Count;
    }
}
