namespace HyperNest.Emulation.Image;

/// <summary>
/// The host programs the emulated host is made of, found where Debian installs them. HyperNest installs nothing:
/// a missing one is an <see cref="EmulationException"/> naming the Debian package that brings it.
/// </summary>
public static class HostTools
{
    public const string QemuExecutable = "qemu-system-x86_64";
    public const string QemuPackage = "qemu-system-x86";
    public const string BusyboxPath = "/bin/busybox";
    public const string BusyboxPackage = "busybox-static";
    public const string IprouteExecutable = "ip";
    public const string IproutePackage = "iproute2";

    /// <summary>
    /// Throws <see cref="EmulationException"/> naming the first missing package, QEMU first: the cheap check made
    /// before the emulated host is announced or its image built.
    /// </summary>
    public static void EnsurePresent()
    {
        Qemu();
        Busybox();
    }

    /// <summary>The path of qemu-system-x86_64 on PATH.</summary>
    public static string Qemu() => ProcessRunner.FindOnPath(QemuExecutable)
        ?? throw new EmulationException($"the emulated host needs {QemuExecutable}, which is not installed (apt-get install {QemuPackage})");

    /// <summary>/bin/busybox, which must be the static build: it runs as PID 1 with no libraries beside it.</summary>
    public static string Busybox()
    {
        if (!File.Exists(BusyboxPath))
        {
            throw new EmulationException($"the emulated host needs a static busybox at {BusyboxPath}, which is missing (apt-get install {BusyboxPackage})");
        }

        return SharedLibraries.IsDynamic(BusyboxPath)
            ? throw new EmulationException($"{BusyboxPath} is dynamically linked; the emulated host needs the static build (apt-get install {BusyboxPackage})")
            : BusyboxPath;
    }

    /// <summary>
    /// iproute2's <c>ip</c>, which virtual switches are made with (bridges, TAP ports, <c>ip -j</c> output); busybox's
    /// applet of the same name knows neither.
    /// </summary>
    public static string Iproute() => IprouteOrNull()
        ?? throw new EmulationException($"virtual switches need iproute2's {IprouteExecutable}, which is not installed (apt-get install {IproutePackage})");

    /// <summary>iproute2's <c>ip</c> where Debian (merged /usr or not) puts it, or null.</summary>
    public static string? IprouteOrNull() => new[] { "/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip", "/bin/ip" }.FirstOrDefault(File.Exists);
}
