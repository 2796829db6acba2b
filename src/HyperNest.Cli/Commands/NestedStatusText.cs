using System.Globalization;
using HyperNest.Management.Nested;

namespace HyperNest.Cli.Commands;

/// <summary>
/// <c>hnest nested status</c> for people: the verdict, every reason with its fix, the facts behind them. ANSI colour
/// only when asked (a terminal without NO_COLOR, decided by the caller).
/// </summary>
public sealed class NestedStatusText(TextWriter output, bool colour)
{
    private const string Red = "\e[31m", Green = "\e[32m", Yellow = "\e[33m", Bold = "\e[1m", Dim = "\e[2m", Reset = "\e[0m";

    /// <summary>True when stdout is a terminal and NO_COLOR is unset or empty (https://no-color.org).</summary>
    public static bool ShouldColour(TextWriter stdout) =>
        ReferenceEquals(stdout, Console.Out) && !Console.IsOutputRedirected &&
        string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR"));

    public void Write(NestedHostVerdict verdict, IReadOnlyList<NestedVmVerdict> vms)
    {
        output.WriteLine(verdict.Supported
            ? $"Host: {Paint(Bold + Green, "YES")}: this host can expose virtualization extensions to its VMs"
            : $"Host: {Paint(Bold + Red, "NO")}: this host cannot expose virtualization extensions to its VMs");
        WriteReasons(verdict.Reasons);
        WriteFacts(verdict.Facts);
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
        Fact("KVM vendor module", f.VendorModuleName + (f.NestedParameter is { } n ? $", nested={n}" : ""));
        Fact("guest kernel mode", f.GuestKernelMode switch
        {
            GuestKernelMode.Hardware => "hardware (VT-x/AMD-V)",
            GuestKernelMode.Emulated => "emulated (PVM)",
            _ => "unknown (no KVM vendor module)",
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

    private void Fact(string name, string value) => output.WriteLine($"  {name,-20} {value}");

    private static string YesNo(bool value) => value ? "yes" : "no";

    private string Paint(string style, string text) => colour ? style + text + Reset : text;
}
