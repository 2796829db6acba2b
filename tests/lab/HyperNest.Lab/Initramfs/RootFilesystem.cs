using HyperNest.Lab.Cpio;
using HyperNest.Lab.Packages;

namespace HyperNest.Lab.Initramfs;

/// <summary>
/// What the lab host and the inner guest have in common: a busybox-static userland, the directories init mounts
/// over, /dev/console, the shared shell functions, /init, and kernel modules with their load order.
/// </summary>
public static class RootFilesystem
{
    public const int Executable = 0b111_101_101;
    public const int Readable = 0b110_100_100;

    /// <summary>Where both inits look for modules: &lt;name&gt;.ko files and a load-order list, one name per line.</summary>
    public const string ModulesDirectory = "modules";

    /// <summary>Shell functions shared by the lab's and the guest's init (tests/lab/init/common.sh).</summary>
    public const string CommonFunctions = "etc/lab/common.sh";

    private static string[]? s_applets;

    public static void Write(NewcArchiveWriter archive, LabPaths paths, string initScript)
    {
        foreach (string directory in new[] { "proc", "sys", "dev", "tmp", "root", "etc", "run" })
        {
            archive.AddDirectory(directory);
        }

        // The kernel opens /dev/console for init's stdio before init can mount devtmpfs (tty major 5, minor 1).
        archive.AddCharacterDevice("dev/console", 5, 1);
        archive.AddHostFile("bin/busybox", PackageFetcher.BusyboxPath, Executable);
        foreach (string applet in Applets())
        {
            if (!archive.Contains(applet))
            {
                archive.AddSymlink(applet, "/bin/busybox");
            }
        }

        archive.AddHostFile(CommonFunctions, Path.Combine(paths.InitScripts, "common.sh"), Readable);
        archive.AddHostFile("init", Path.Combine(paths.InitScripts, initScript), Executable);
    }

    public static void WriteModules(NewcArchiveWriter archive, KernelModules modules, params string[] names)
    {
        IReadOnlyList<KernelModules.Module> ordered = modules.InLoadOrder(names);
        foreach (KernelModules.Module module in ordered)
        {
            archive.AddFile($"{ModulesDirectory}/{module.FileName}", module.Content, Readable);
        }

        archive.AddFile($"{ModulesDirectory}/load-order", string.Concat(ordered.Select(m => m.Name + "\n")), Readable);
    }

    /// <summary>Busybox's applets as archive paths ("bin/sh", "sbin/insmod", ...), from <c>busybox --list-full</c>.</summary>
    private static string[] Applets() => s_applets ??= ProcessRunner
        .RunChecked(PackageFetcher.BusyboxPath, ["--list-full"])
        .StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
