using System.Globalization;
using HyperNest.Kvm;
using HyperNest.Vmm.Cpu;

namespace HyperNest.Management.Nested;

/// <summary>
/// What decides whether this host can run nested guests, probed from /dev/kvm, /sys/module and /proc: the facts
/// behind <see cref="NestedHostVerdict"/> and <c>hnest nested status</c>.
/// </summary>
public sealed record HostFacts
{
    /// <summary>MemAvailable the nested virtualization guide asks for (4 GB).</summary>
    public const ulong RecommendedAvailableMemoryBytes = 4UL << 30;

    public required string KvmDevicePath { get; init; }

    public bool KvmDevicePresent { get; init; }

    /// <summary>The device opened read-write and answered (API version and supported CPUID).</summary>
    public bool KvmDeviceAccessible { get; init; }

    /// <summary>Why the device could not be opened or queried; null when it was.</summary>
    public string? KvmDeviceError { get; init; }

    /// <summary>The errno of a failed open (EACCES, EPERM, ...); null when the device opened or is absent.</summary>
    public int? KvmDeviceErrno { get; init; }

    public int? KvmApiVersion { get; init; }

    /// <summary>
    /// The major:minor the kernel registered its KVM device under (sys/class/misc/kvm/dev), e.g. "10:232"; null when
    /// no KVM module registered one. Set while <see cref="KvmDevicePresent"/> is false, only the node is missing.
    /// </summary>
    public string? KvmMiscDeviceNumber { get; init; }

    /// <summary>The KVM vendor module loaded (sys/module), whether or not a KVM device exists.</summary>
    public KvmModuleKind VendorModule { get; init; }

    /// <summary>kvm_intel, kvm_amd, kvm_pvm or none.</summary>
    public string VendorModuleName => KvmModule.Name(VendorModule);

    /// <summary>vendor_id from /proc/cpuinfo (GenuineIntel, AuthenticAMD, ...).</summary>
    public string? CpuVendor { get; init; }

    public bool CpuHasVmx { get; init; }

    public bool CpuHasSvm { get; init; }

    /// <summary>The <c>hypervisor</c> CPU flag: this host is itself a virtual machine.</summary>
    public bool CpuHasHypervisorFlag { get; init; }

    /// <summary>The vendor module's <c>nested</c> parameter as the kernel shows it ("1", "Y", "0", "N").</summary>
    public string? NestedParameter { get; init; }

    /// <summary>Whether the vendor module lets guests run their own VMs; null without kvm_intel/kvm_amd.</summary>
    public bool? NestedEnabled => NestedParameter is null ? null : NestedParameter is "1" or "Y" or "y";

    /// <summary>VMX in KVM_GET_SUPPORTED_CPUID leaf 1 ECX; null when the device could not be queried.</summary>
    public bool? SupportedCpuidOffersVmx { get; init; }

    /// <summary>SVM in KVM_GET_SUPPORTED_CPUID leaf 0x80000001 ECX; null when the device could not be queried.</summary>
    public bool? SupportedCpuidOffersSvm { get; init; }

    /// <summary>A KVM device exists and its flavour is PVM (kvm_pvm): the only host PVM reasons apply to.</summary>
    public bool IsPvmDevice => KvmDevicePresent && VendorModule == KvmModuleKind.Pvm;

    /// <summary>How the KVM device runs guest kernel mode; <see cref="GuestKernelMode.Unknown"/> without a device.</summary>
    public GuestKernelMode GuestKernelMode => !KvmDevicePresent ? GuestKernelMode.Unknown : VendorModule switch
    {
        KvmModuleKind.Intel or KvmModuleKind.Amd => GuestKernelMode.Hardware,
        KvmModuleKind.Pvm => GuestKernelMode.Emulated,
        _ => GuestKernelMode.Unknown,
    };

    /// <summary>MemAvailable from /proc/meminfo; null when it cannot be read.</summary>
    public ulong? MemoryAvailableBytes { get; init; }

    public required string HyperNestVersion { get; init; }

    public static HostFacts Probe(HostEnvironment? environment = null)
    {
        HostEnvironment host = environment ?? HostEnvironment.Real;
        KvmModuleKind module = KvmModule.Detect(host.SysModule);
        (string? vendor, IReadOnlySet<string> flags) = ReadCpuInfo(host.CpuInfo);
        var facts = new HostFacts
        {
            KvmDevicePath = host.KvmDevicePath,
            KvmDevicePresent = File.Exists(host.KvmDevicePath),
            KvmMiscDeviceNumber = ReadTrimmed(Path.Combine(host.KvmMiscDevice, "dev")),
            VendorModule = module,
            CpuVendor = vendor,
            CpuHasVmx = flags.Contains("vmx"),
            CpuHasSvm = flags.Contains("svm"),
            CpuHasHypervisorFlag = flags.Contains("hypervisor"),
            NestedParameter = ReadNestedParameter(host.SysModule, module),
            MemoryAvailableBytes = ReadMemAvailable(host.MemInfo),
            HyperNestVersion = host.HyperNestVersion,
        };
        return facts.KvmDevicePresent ? QueryDevice(facts, host) : facts;
    }

    private static HostFacts QueryDevice(HostFacts facts, HostEnvironment host)
    {
        try
        {
            KvmDeviceInfo info = host.QueryKvm(host.KvmDevicePath);
            return facts with
            {
                KvmDeviceAccessible = true,
                KvmApiVersion = info.ApiVersion,
                SupportedCpuidOffersVmx = ((info.SupportedCpuid.Find(0x1)?.Ecx ?? 0) & CpuidPolicy.Leaf1EcxVmx) != 0,
                SupportedCpuidOffersSvm = ((info.SupportedCpuid.Find(0x8000_0001)?.Ecx ?? 0) & CpuidPolicy.ExtLeaf1EcxSvm) != 0,
            };
        }
        catch (KvmException e)
        {
            return facts with
            {
                KvmDevicePresent = e.Errno != Errno.ENOENT,
                KvmDeviceError = e.UserMessage(),
                KvmDeviceErrno = e.Errno == 0 ? null : e.Errno,
            };
        }
    }

    private static (string? Vendor, IReadOnlySet<string> Flags) ReadCpuInfo(string path)
    {
        string? vendor = null;
        HashSet<string>? flags = null;
        foreach (string line in ReadLines(path))
        {
            int colon = line.IndexOf(':');
            if (colon < 0)
            {
                continue;
            }

            string key = line[..colon].Trim();
            string value = line[(colon + 1)..].Trim();
            if (key == "vendor_id")
            {
                vendor ??= value;
            }
            else if (key == "flags" && flags is null)
            {
                flags = new HashSet<string>(value.Split(' ', StringSplitOptions.RemoveEmptyEntries), StringComparer.Ordinal);
            }

            if (vendor is not null && flags is not null)
            {
                break;
            }
        }

        return (vendor, flags ?? []);
    }

    private static string? ReadNestedParameter(string sysModule, KvmModuleKind module)
    {
        if (module is not (KvmModuleKind.Intel or KvmModuleKind.Amd))
        {
            return null;
        }

        return ReadTrimmed(Path.Combine(sysModule, KvmModule.Name(module), "parameters", "nested"));
    }

    private static string? ReadTrimmed(string file) => File.Exists(file) ? File.ReadAllText(file).Trim() : null;

    private static ulong? ReadMemAvailable(string path)
    {
        foreach (string line in ReadLines(path))
        {
            if (line.StartsWith("MemAvailable:", StringComparison.Ordinal))
            {
                string[] fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                return fields.Length >= 2 && ulong.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out ulong kib)
                    ? kib * 1024
                    : null;
            }
        }

        return null;
    }

    private static IEnumerable<string> ReadLines(string path) => File.Exists(path) ? File.ReadLines(path) : [];
}
