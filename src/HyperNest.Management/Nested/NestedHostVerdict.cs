using System.Globalization;
using HyperNest.Kvm;

namespace HyperNest.Management.Nested;

/// <summary>
/// Can this host give its VMs virtualization extensions (ExposeVirtualizationExtensions)? YES or NO with every
/// reason and its fix, decided from <see cref="HostFacts"/> (docs/architecture.md, "Nested virtualization").
/// Reasons come root cause first, in the order a user should fix them. Without a KVM device: the missing device (and
/// what loads it), then the CPU (or the outer hypervisor). With one: its PVM flavour (only a PVM /dev/kvm gets PVM
/// reasons), the CPU, the device's access and API version. Then the vendor module's nested parameter, what KVM
/// offers; warnings last.
/// </summary>
public sealed record NestedHostVerdict(bool Supported, IReadOnlyList<NestedReason> Reasons, HostFacts Facts)
{
    public static NestedHostVerdict Evaluate(HostEnvironment? environment = null) => For(HostFacts.Probe(environment));

    public static NestedHostVerdict For(HostFacts facts)
    {
        var reasons = new List<NestedReason>();
        if (!facts.KvmDevicePresent)
        {
            reasons.Add(DeviceMissing(facts));
            AddCpuReasons(facts, reasons);
        }
        else
        {
            AddPvmReasons(facts, reasons);
            AddCpuReasons(facts, reasons);
            AddDeviceReasons(facts, reasons);
        }

        AddKvmReasons(facts, reasons);
        if (facts.MemoryAvailableBytes is ulong available && available < HostFacts.RecommendedAvailableMemoryBytes)
        {
            reasons.Add(new(NestedReasonCode.LowMemory, NestedReasonSeverity.Warning,
                $"only {Gib(available)} of memory is available (MemAvailable); nested virtualization wants at least 4 GB",
                "free memory or add RAM: a VM that hosts VMs needs memory for its own guests"));
        }

        return new NestedHostVerdict(!reasons.Exists(r => r.IsBlocking), reasons, facts);
    }

    /// <summary>The first blocking reason, or null when the verdict is YES.</summary>
    public NestedReason? FirstBlockingReason() => Reasons.FirstOrDefault(r => r.IsBlocking);

    /// <summary>No device: the root cause, with what would load it (or create its node).</summary>
    private static NestedReason DeviceMissing(HostFacts facts) => Blocking(NestedReasonCode.KvmDeviceMissing,
        $"{facts.KvmDevicePath} does not exist: this host has no KVM",
        facts.KvmMiscDeviceNumber is { } number
            ? $"the kernel registered KVM (misc device {number}) but the device node is missing: create it " +
              $"(`mknod {facts.KvmDevicePath} c {number.Replace(':', ' ')}`, or let udev do it)"
            : facts.CpuHasVmx || facts.CpuHasSvm
                ? $"load KVM: `modprobe {LikelyVendorModule(facts)}` creates {facts.KvmDevicePath}"
                : $"{facts.KvmDevicePath} comes from kvm_intel or kvm_amd, which need the CPU's vmx/svm flag: " +
                  $"fix the reason below, then `modprobe {LikelyVendorModule(facts)}`");

    private static void AddDeviceReasons(HostFacts facts, List<NestedReason> reasons)
    {
        if (!facts.KvmDeviceAccessible && facts.KvmDeviceErrno is Errno.EACCES or Errno.EPERM)
        {
            reasons.Add(Blocking(NestedReasonCode.KvmDeviceInaccessible,
                $"no permission to open {facts.KvmDevicePath}",
                "run as root or join the 'kvm' group"));
        }
        else if (!facts.KvmDeviceAccessible)
        {
            reasons.Add(Blocking(NestedReasonCode.KvmDeviceInaccessible,
                $"{facts.KvmDevicePath} cannot be used: {facts.KvmDeviceError ?? "unknown error"}",
                "check that the KVM modules loaded cleanly (`dmesg | grep -i kvm`)"));
        }
        else if (facts.KvmApiVersion is int version && version != KvmSystem.ExpectedApiVersion)
        {
            reasons.Add(Blocking(NestedReasonCode.KvmApiVersionUnsupported,
                $"KVM API version {version}, HyperNest needs {KvmSystem.ExpectedApiVersion}",
                "use a Linux kernel whose KVM has API version 12 (every kernel since 2.6.22)"));
        }
    }

    /// <summary>Only a /dev/kvm that exists and is the PVM flavour gets the PVM reason.</summary>
    private static void AddPvmReasons(HostFacts facts, List<NestedReason> reasons)
    {
        if (facts.IsPvmDevice)
        {
            reasons.Add(Blocking(NestedReasonCode.PvmFlavour,
                "this host's KVM is kvm_pvm (PVM): guest kernel mode is emulated and VMX/SVM cannot be exposed to guests",
                "run HyperNest on a host whose KVM is kvm_intel or kvm_amd: bare metal, or a VM given nested virtualization by its hypervisor"));
        }
    }

    private static void AddCpuReasons(HostFacts facts, List<NestedReason> reasons)
    {
        if (facts.CpuHasVmx || facts.CpuHasSvm)
        {
            return;
        }

        reasons.Add(facts.CpuHasHypervisorFlag
            ? Blocking(NestedReasonCode.HostIsVmWithoutNested,
                "this host is itself a VM (hypervisor flag) that was not given nested virtualization: its CPU shows no vmx/svm flag",
                "enable it on the outer hypervisor (Hyper-V: `Set-VMProcessor -ExposeVirtualizationExtensions $true` with the VM off; " +
                "KVM/QEMU: `-cpu host` with the outer kvm_intel/kvm_amd nested=1), then start this VM again")
            : Blocking(NestedReasonCode.NoVirtualizationExtensions,
                "this CPU (or the VM this host runs in) shows no vmx/svm flag",
                "enable Intel VT-x or AMD-V (SVM) in the firmware setup; a CPU without them cannot host nested guests"));
    }

    private static void AddKvmReasons(HostFacts facts, List<NestedReason> reasons)
    {
        if (facts.NestedEnabled == false)
        {
            string module = facts.VendorModuleName;
            reasons.Add(Blocking(NestedReasonCode.NestedParameterOff,
                $"{module} nested={facts.NestedParameter}: guests cannot run their own VMs",
                $"run `echo 'options {module} nested=1' > /etc/modprobe.d/kvm.conf` and reload the module " +
                $"(all VMs off): `modprobe -r {module} && modprobe {module}`"));
        }

        if (facts.SupportedCpuidOffersVmx == false && facts.SupportedCpuidOffersSvm == false)
        {
            reasons.Add(Blocking(NestedReasonCode.SupportedCpuidLacksExtensions,
                "KVM's supported CPUID (KVM_GET_SUPPORTED_CPUID) offers no VMX/SVM to guests",
                reasons.Count > 0
                    ? "follows from the reasons above: fix them and KVM offers VMX/SVM"
                    : $"load {LikelyVendorModule(facts)} with nested=1 on a kernel whose KVM supports nested virtualization"));
        }
    }

    /// <summary>kvm_amd on an AMD CPU (svm flag or vendor), else kvm_intel.</summary>
    private static string LikelyVendorModule(HostFacts facts) =>
        facts.CpuHasSvm || facts.CpuVendor is "AuthenticAMD" or "HygonGenuine" ? "kvm_amd" : "kvm_intel";

    private static NestedReason Blocking(NestedReasonCode code, string message, string fix) =>
        new(code, NestedReasonSeverity.Blocking, message, fix);

    private static string Gib(ulong bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1UL << 30):F1} GiB");
}
