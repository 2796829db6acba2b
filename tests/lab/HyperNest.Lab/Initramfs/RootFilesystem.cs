using HyperNest.Emulation.Cpio;
using HyperNest.Emulation.Image;

namespace HyperNest.Lab.Initramfs;

/// <summary>
/// What the lab host and the inner guest have in common: the product's busybox root (see
/// <see cref="BusyboxRoot"/>), the shared shell functions, and the scenario's /init.
/// </summary>
public static class RootFilesystem
{
    /// <summary>Shell functions shared by the lab's and the guest's init (tests/lab/init/common.sh).</summary>
    public const string CommonFunctions = "etc/lab/common.sh";

    /// <summary>Where busybox's udhcpc looks for the script that applies a lease.</summary>
    public const string UdhcpcScript = "etc/udhcpc/default.script";

    public static void Write(NewcArchiveWriter archive, LabPaths paths, string initScript)
    {
        // iproute2's ip: hnest makes its virtual switches with it, in the lab host and in a nested guest.
        BusyboxRoot.Write(archive, withIproute: true);
        archive.AddHostFile(UdhcpcScript, Path.Combine(paths.InitScripts, "udhcpc.script"), BusyboxRoot.Executable);
        archive.AddHostFile(CommonFunctions, Path.Combine(paths.InitScripts, "common.sh"), BusyboxRoot.Readable);
        archive.AddHostFile("init", Path.Combine(paths.InitScripts, initScript), BusyboxRoot.Executable);
    }
}
