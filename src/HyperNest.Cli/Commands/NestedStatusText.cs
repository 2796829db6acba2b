using System.Globalization;
using HyperNest.Kvm;
using HyperNest.Management.Nested;

namespace HyperNest.Cli.Commands;

/// <summary>
/// <c>hnest nested status</c> for people: the host's verdict, every reason with its fix, the facts behind them; the
/// emulated host's verdict, reasons and facts; what <c>--accel auto</c> picks; each VM's verdict. ANSI colour only
/// when asked (a terminal without NO_COLOR, decided by the caller).
/// </summary>
public sealed class NestedStatusText(TextWriter output, bool colour)
{
    private const string Red = "\e[31m", Green = "\e[32m", Yellow = "\e[33m", Bold = "\e[1m", Dim = "\e[2m", Reset = "\e[0m";

    /// <summary>
    /// True when hnest's own stdout is a terminal, this writer is not a capture of it (a test's StringWriter), and
    /// NO_COLOR is unset or empty (https://no-color.org).
    /// </summary>
    public static bool ShouldColour(TextWriter stdout) =>
        stdout is StreamWriter && !Console.IsOutputRedirected &&
        string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR"));

    public void Write(NestedHostStatus status, IReadOnlyList<NestedVmVerdict> vms)
    {
        NestedHostVerdict verdict = status.Host;
        output.WriteLine(verdict.Supported
            ? $"Host: {Paint(Bold + Green, "YES")}: this host can expose virtualization extensions to its VMs"
            : $"Host: {Paint(Bold + Red, "NO")}: this host cannot expose virtualization extensions to its VMs");
        WriteReasons(verdict.Reasons);
        WriteFacts(verdict.Facts);
        WriteEmulated(status.Emulated);
        output.WriteLine($"Accelerator: --accel auto picks {Paint(Bold, status.AutoAccelerator.OptionValue())}: {AutoReason(status)}");
        if (vms.Count == 0)
        {
            output.WriteLine("VMs: none in the inventory");
        }

        foreach (NestedVmVerdict vm in vms)
        {
            output.WriteLine(vm.Ready
                ? $"VM {vm.Name} ({vm.State}): {Paint(Bold + Green, "YES")}: set up to host VMs"
                : $"VM {vm.Name} ({vm.State}): {Paint(Bold + Red, "NO")}: not set up to host VMs");
            WriteReasons(vm.Reasons);
            foreach (string beyond in vm.BeyondHyperV)
            {
                output.WriteLine($"{Paint(Green, "  + beyond Hyper-V: ")}{beyond}");
            }
        }
    }

    private void WriteReasons(IReadOnlyList<NestedReason> reasons)
    {
        foreach (NestedReason reason in reasons)
        {
            string mark = reason.IsBlocking ? Paint(Red, "  x ") : Paint(Yellow, "  ! warning: ");
            output.WriteLine($"{mark}{reason.Message}");
            output.WriteLine(Paint(Dim, $"      fix: {reason.Fix}"));
        }
    }

    private void WriteFacts(HostFacts f)
    {
        output.WriteLine("Facts:");
        Fact("KVM device", !f.KvmDevicePresent ? $"{f.KvmDevicePath} missing"
            : f.KvmDeviceAccessible ? $"{f.KvmDevicePath}, accessible, API version {f.KvmApiVersion}"
            : $"{f.KvmDevicePath}, not accessible ({f.KvmDeviceError})");
        string module = f.VendorModuleName + (f.NestedParameter is { } n ? $", nested={n}" : "");
        Fact("KVM vendor module", f.KvmDevicePresent || f.VendorModule == KvmModuleKind.None ? module : $"{module} (loaded, but no KVM device)");
        Fact("guest kernel mode", f.GuestKernelMode switch
        {
            GuestKernelMode.Hardware => "hardware (VT-x/AMD-V)",
            GuestKernelMode.Emulated => "emulated (PVM)",
            _ => f.KvmDevicePresent ? "unknown (no KVM vendor module)" : "unknown (no KVM device)",
        });
        Fact("CPU flags", $"{f.CpuVendor ?? "unknown vendor"}: vmx {YesNo(f.CpuHasVmx)}, svm {YesNo(f.CpuHasSvm)}, " +
            $"hypervisor {YesNo(f.CpuHasHypervisorFlag)}");
        Fact("KVM supported CPUID", f.SupportedCpuidOffersVmx is null
            ? "not queried"
            : $"VMX {YesNo(f.SupportedCpuidOffersVmx.Value)}, SVM {YesNo(f.SupportedCpuidOffersSvm ?? false)}");
        Fact("memory available", f.MemoryAvailableBytes is ulong bytes
            ? string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1UL << 30):F1} GiB (the guide wants 4 GB)")
            : "unknown");
        Fact("HyperNest", f.HyperNestVersion);
    }

    private void WriteEmulated(EmulatedHostVerdict verdict)
    {
        output.WriteLine(verdict.Supported
            ? $"Emulated host: {Paint(Bold + Green, "YES")}: VMs, nested guests included, can run on an emulated host (QEMU TCG, AMD CPU with SVM, kvm_amd nested=1)"
            : $"Emulated host: {Paint(Bold + Red, "NO")}: the emulated host (QEMU TCG, AMD CPU with SVM, kvm_amd nested=1) cannot start here");
        WriteReasons(verdict.Reasons);
        EmulatedHostFacts f = verdict.Facts;
        output.WriteLine("Facts:");
        Fact("QEMU", f.QemuPath ?? $"{EmulatedHostFacts.QemuExecutable} not on PATH");
        Fact("busybox", f.Busybox switch
        {
            ExecutableLinkage.Static => $"{f.BusyboxPath}, static",
            ExecutableLinkage.Dynamic => $"{f.BusyboxPath}, dynamic",
            ExecutableLinkage.Missing => $"{f.BusyboxPath} missing",
            _ => $"{f.BusyboxPath}, not an ELF executable",
        });
        Fact("emulated host kernel", f.GuestKernelSource switch
        {
            GuestKernelSource.Local => $"{f.LocalKernelPath} with {f.LocalModulesPath} (has kvm_amd)",
            GuestKernelSource.AptDownload => $"`apt-get download {EmulatedHostFacts.KernelPackage}` on first use ({f.AptGetPath})",
            _ => "none",
        });
    }

    private static string AutoReason(NestedHostStatus status) => status.AutoAccelerator switch
    {
        AutoAccelerator.Kvm => $"{status.Host.Facts.KvmDevicePath} exists and opens",
        AutoAccelerator.Emulated when status.Host.Facts.IsPvmDevice =>
            $"{status.Host.Facts.KvmDevicePath} is the PVM flavour, which runs only the built-in guest; Linux guests go to the emulated host (slow)",
        AutoAccelerator.Emulated => $"no usable {status.Host.Facts.KvmDevicePath}; the emulated host can start (slow)",
        _ => $"no usable {status.Host.Facts.KvmDevicePath}, and the emulated host cannot start: fix its reasons above",
    };

    private void Fact(string name, string value) => output.WriteLine($"  {name,-20} {value}");

    private static string YesNo(bool value) => value ? "yes" : "no";

    private string Paint(string style, string text) => colour ? style + text + Reset : text;
}
