namespace HyperNest.Management.Nested;

/// <summary>
/// Where <see cref="HostFacts"/> looks: a root directory standing in for / (its sys/, proc/), the KVM device, how
/// to query that device, and HyperNest's version. <see cref="Real"/> is this host; tests point
/// <see cref="Under"/> at a fabricated directory and answer the device query themselves.
/// </summary>
public sealed record HostEnvironment(
    string Root,
    string KvmDevicePath,
    Func<string, KvmDeviceInfo> QueryKvm,
    string HyperNestVersion)
{
    /// <summary>This host: /sys, /proc, /dev/kvm (or $HYPERNEST_KVM_DEVICE), the real device.</summary>
    public static HostEnvironment Real => new("/", Kvm.Kvm.DevicePath, KvmDeviceInfo.Query, CurrentVersion);

    /// <summary>A fabricated host under <paramref name="root"/>: its device is root/dev/kvm.</summary>
    public static HostEnvironment Under(string root, Func<string, KvmDeviceInfo> queryKvm, string? version = null) =>
        new(root, Path.Combine(root, "dev", "kvm"), queryKvm, version ?? CurrentVersion);

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

    public string CpuInfo => Path.Combine(Root, "proc", "cpuinfo");

    public string MemInfo => Path.Combine(Root, "proc", "meminfo");
}
