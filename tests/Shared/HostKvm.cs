using System.Runtime.InteropServices;

namespace HyperNest.Tests;

/// <summary>
/// Can this host's KVM run a VM, and if not, why not. Tests that need it skip with the reason instead of failing or
/// returning early: <c>Skip.IfNot(HostKvm.Usable, HostKvm.WhyNot)</c>, with <c>[Trait("Requires", "kvm")]</c>.
/// Probes the device HyperNest itself opens (/dev/kvm, or $HYPERNEST_KVM_DEVICE) on its own, without HyperNest's
/// code, so a bug there fails a test rather than skipping it. Shared (linked) by the test projects that need it.
/// </summary>
internal static class HostKvm
{
    private const string PvmModule = "/sys/module/kvm_pvm";
    private const string PvmAbsent = $"kvm_pvm is not loaded ({PvmModule} is absent)";

    private static readonly Lazy<string?> Problem = new(Probe);

    /// <summary>The device opens, speaks KVM API version 12 and creates a VM.</summary>
    public static bool Usable => Problem.Value is null;

    /// <summary>Why <see cref="Usable"/> is false; empty when it is true.</summary>
    public static string WhyNot => Problem.Value ?? string.Empty;

    /// <summary>kvm_pvm is loaded: the host's KVM is PVM-flavoured (guest kernel mode emulated, no VMX/SVM for guests).</summary>
    public static bool PvmLoaded => Directory.Exists(PvmModule);

    /// <summary>A usable KVM that is PVM-flavoured (kvm_pvm loaded).</summary>
    public static bool PvmUsable => PvmLoaded && Usable;

    /// <summary>Why <see cref="PvmLoaded"/> is false; empty when it is true.</summary>
    public static string WhyNotPvmLoaded => PvmLoaded ? string.Empty : $"not a PVM host: {PvmAbsent}";

    /// <summary>Why <see cref="PvmUsable"/> is false; empty when it is true.</summary>
    public static string WhyNotPvm =>
        !PvmLoaded ? $"needs a PVM host's /dev/kvm: {PvmAbsent}"
        : !Usable ? $"needs a PVM host's /dev/kvm: kvm_pvm is loaded but {WhyNot}"
        : string.Empty;

    private static string? Probe()
    {
        string path = Environment.GetEnvironmentVariable("HYPERNEST_KVM_DEVICE") is { Length: > 0 } device ? device : "/dev/kvm";
        if (!File.Exists(path))
        {
            return $"{path} does not exist: this host has no KVM ({Hints()})";
        }

        int fd = Open(path, OpenReadWrite | OpenCloseOnExec);
        if (fd < 0)
        {
            return $"{path} cannot be opened: {Error(Marshal.GetLastPInvokeError())}";
        }

        try
        {
            int version = Ioctl(fd, KvmGetApiVersion, 0);
            if (version != 12)
            {
                return $"{path} answers KVM_GET_API_VERSION with {(version < 0 ? Error(Marshal.GetLastPInvokeError()) : version)}, not 12";
            }

            int vm = Ioctl(fd, KvmCreateVm, 0);
            if (vm < 0)
            {
                return $"{path} opens but KVM_CREATE_VM fails: {Error(Marshal.GetLastPInvokeError())} ({Hints()})";
            }

            Close(vm);
            return null;
        }
        finally
        {
            Close(fd);
        }
    }

    /// <summary>The KVM modules loaded and whether the CPU shows vmx/svm: what a reader needs to see why.</summary>
    private static string Hints()
    {
        string[] modules = ["kvm", "kvm_intel", "kvm_amd", "kvm_pvm"];
        string[] loaded = [.. modules.Where(m => Directory.Exists(Path.Combine("/sys/module", m)))];
        string flags = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("flags", StringComparison.Ordinal)) ?? string.Empty
            : string.Empty;
        string[] extensions = [.. new[] { "vmx", "svm" }.Where(f => flags.Split(' ', ':', '\t').Contains(f))];
        return $"modules loaded: {(loaded.Length > 0 ? string.Join(", ", loaded) : "none")}; " +
            $"CPU flags: {(extensions.Length > 0 ? string.Join(", ", extensions) : "no vmx/svm")}";
    }

    private static string Error(int errno) => $"{Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})";

    private const int OpenReadWrite = 0x2, OpenCloseOnExec = 0x80000;
    private const nuint KvmGetApiVersion = 0xAE00, KvmCreateVm = 0xAE01;

    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    private static extern int Open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc", EntryPoint = "ioctl", SetLastError = true)]
    private static extern int Ioctl(int fd, nuint request, nint argument);

    [DllImport("libc", EntryPoint = "close")]
    private static extern int Close(int fd);
}
