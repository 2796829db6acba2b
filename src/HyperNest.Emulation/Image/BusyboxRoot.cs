using HyperNest.Emulation.Cpio;

namespace HyperNest.Emulation.Image;

/// <summary>
/// The base of every initramfs HyperNest writes (the emulated host's, the lab's guests'): the directories init
/// mounts over, /dev/console, a busybox-static userland with its applets as symlinks, and kernel modules in load
/// order under /modules.
/// </summary>
public static class BusyboxRoot
{
    public const int Executable = 0b111_101_101;
    public const int Readable = 0b110_100_100;

    /// <summary>Where inits look for modules: &lt;name&gt;.ko files and a load-order list, one name per line.</summary>
    public const string ModulesDirectory = "modules";

    private static string[]? s_applets;

    /// <summary>
    /// The root: directories, /dev/console, busybox with its applets; with <paramref name="withIproute"/> iproute2's
    /// <c>ip</c> (and its libraries) takes /sbin/ip instead of busybox's applet, for virtual switches.
    /// </summary>
    public static void Write(NewcArchiveWriter archive, bool withIproute = false)
    {
        if (withIproute)
        {
            WriteProgram(archive, "sbin/ip", HostTools.Iproute());
        }

        foreach (string directory in new[] { "proc", "sys", "dev", "tmp", "root", "etc", "run" })
        {
            archive.AddDirectory(directory);
        }

        // The kernel opens /dev/console for init's stdio before init can mount devtmpfs (tty major 5, minor 1).
        archive.AddCharacterDevice("dev/console", 5, 1);
        string busybox = HostTools.Busybox();
        archive.AddHostFile("bin/busybox", busybox, Executable);
        foreach (string applet in Applets(busybox))
        {
            if (!archive.Contains(applet))
            {
                archive.AddSymlink(applet, "/bin/busybox");
            }
        }
    }

    /// <summary>The named modules with their dependencies as /modules/&lt;name&gt;.ko, and /modules/load-order.</summary>
    public static void WriteModules(NewcArchiveWriter archive, KernelModules modules, params string[] names)
    {
        IReadOnlyList<KernelModules.Module> ordered = modules.InLoadOrder(names);
        foreach (KernelModules.Module module in ordered)
        {
            archive.AddFile($"{ModulesDirectory}/{module.FileName}", module.Content, Readable);
        }

        archive.AddFile($"{ModulesDirectory}/load-order", string.Concat(ordered.Select(m => m.Name + "\n")), Readable);
    }

    /// <summary>A dynamically linked binary at <paramref name="archivePath"/> and the glibc pieces it loads, at their own paths.</summary>
    public static void WriteProgram(NewcArchiveWriter archive, string archivePath, string hostPath)
    {
        archive.AddHostFile(archivePath, hostPath, Executable);
        foreach (string library in SharedLibraries.Of(hostPath).Where(l => !archive.Contains(l.TrimStart('/'))))
        {
            archive.AddHostFile(library, library, Executable);
        }
    }

    /// <summary>Busybox's applets as archive paths ("bin/sh", "sbin/insmod", ...), from <c>busybox --list-full</c>.</summary>
    private static string[] Applets(string busybox) => s_applets ??= ProcessRunner
        .RunChecked(busybox, ["--list-full"])
        .StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
