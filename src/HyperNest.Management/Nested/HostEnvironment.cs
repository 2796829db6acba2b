using HyperNest.Kvm;
namespace HyperNest.Management.Nested;

/// <summary>
/// Where <see cref="HostFacts"/> and <see cref="EmulatedHostFacts"/> look: a root directory standing in for / (its
/// sys/, proc/, boot/, lib/modules/, bin/), the directories searched for executables (PATH), the KVM device, how to
/// query that device, and HyperNest's version. <see cref="Real"/> is this host; tests point <see cref="Under"/> at a
/// fabricated directory and answer the device query themselves.
/// </summary>
public sealed record HostEnvironment(
    string Root,
    string KvmDevicePath,
    Func<string, KvmDeviceInfo> QueryKvm,
    string HyperNestVersion)
{
    /// <summary>The directories a program name is looked up in, in order (PATH).</summary>
    public IReadOnlyList<string> ExecutableSearchPath { get; init; } = [];

    /// <summary>This host: /sys, /proc, /dev/kvm (or $HYPERNEST_KVM_DEVICE), the real device, $PATH.</summary>
    public static HostEnvironment Real => new("/", KvmSystem.DevicePath, KvmDeviceInfo.Query, CurrentVersion)
    {
        ExecutableSearchPath = SplitPath(Environment.GetEnvironmentVariable("PATH")),
    };

    /// <summary>
    /// A fabricated host under <paramref name="root"/>: its device is root/dev/kvm, its PATH the usual directories
    /// under root (usr/local/sbin, usr/local/bin, usr/sbin, usr/bin, sbin, bin).
    /// </summary>
    public static HostEnvironment Under(string root, Func<string, KvmDeviceInfo> queryKvm, string? version = null) =>
        new(root, Path.Combine(root, "dev", "kvm"), queryKvm, version ?? CurrentVersion)
        {
            ExecutableSearchPath = [.. DefaultPath.Select(directory => Path.Combine(root, directory.TrimStart('/')))],
        };

    /// <summary>HyperNest's version, without the source revision the SDK appends after '+'.</summary>
    public static string CurrentVersion
    {
        get
        {
            string? informational = typeof(HostEnvironment).Assembly
                .GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), inherit: false)
                .OfType<System.Reflection.AssemblyInformationalVersionAttribute>()
                .FirstOrDefault()?.InformationalVersion;
            return informational?.Split('+')[0] ?? typeof(HostEnvironment).Assembly.GetName().Version?.ToString() ?? "unknown";
        }
    }

    public string SysModule => Path.Combine(Root, "sys", "module");

    /// <summary>sys/class/misc/kvm: the kernel registered the KVM device (whether or not its node exists).</summary>
    public string KvmMiscDevice => Path.Combine(Root, "sys", "class", "misc", "kvm");

    public string CpuInfo => Path.Combine(Root, "proc", "cpuinfo");

    public string MemInfo => Path.Combine(Root, "proc", "meminfo");

    /// <summary>proc/sys/kernel/osrelease: the running kernel's release (what <c>uname -r</c> prints).</summary>
    public string KernelRelease => Path.Combine(Root, "proc", "sys", "kernel", "osrelease");

    public string Boot => Path.Combine(Root, "boot");

    public string LibModules => Path.Combine(Root, "lib", "modules");

    /// <summary>Where the emulated host takes its userland from: bin/busybox.</summary>
    public string Busybox => Path.Combine(Root, "bin", "busybox");

    /// <summary>The first executable file called <paramref name="name"/> on <see cref="ExecutableSearchPath"/>, or null.</summary>
    public string? FindExecutable(string name)
    {
        const UnixFileMode anyExecute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
        foreach (string directory in ExecutableSearchPath)
        {
            string candidate = Path.Combine(directory, name);
            if (File.Exists(candidate) && (OperatingSystem.IsWindows() || (File.GetUnixFileMode(candidate) & anyExecute) != 0))
            {
                return candidate;
            }
        }

        return null;
    }

    private static readonly string[] DefaultPath = ["/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"];

    private static string[] SplitPath(string? path) =>
        string.IsNullOrEmpty(path) ? DefaultPath : path.Split(':', StringSplitOptions.RemoveEmptyEntries);
}
