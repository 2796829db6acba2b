using System.Buffers.Binary;

namespace HyperNest.Management.Nested;

/// <summary>
/// What decides whether the emulated accelerator can run VMs here: QEMU's TCG emulating an AMD CPU with SVM
/// (<c>-cpu EPYC</c>) boots a minimal Linux whose own KVM (kvm_amd nested=1) runs the VM. It needs
/// qemu-system-x86_64 on PATH, a static /bin/busybox for the emulated host's userland, and a kernel with kvm_amd:
/// this host's /boot/vmlinuz-$(uname -r) with /lib/modules/$(uname -r), else Debian's linux-image-cloud-amd64 fetched
/// with <c>apt-get download</c>. Probed from the same <see cref="HostEnvironment"/> as <see cref="HostFacts"/>; hnest
/// never installs anything, <see cref="EmulatedHostVerdict"/> names the Debian package that is missing.
/// </summary>
public sealed record EmulatedHostFacts
{
    public const string QemuExecutable = "qemu-system-x86_64";

    public const string QemuPackage = "qemu-system-x86";

    public const string BusyboxPackage = "busybox-static";

    /// <summary>The Debian meta-package whose kernel is fetched when there is no local one.</summary>
    public const string KernelPackage = "linux-image-cloud-amd64";

    public const string AptGetExecutable = "apt-get";

    /// <summary>qemu-system-x86_64 as found on PATH; null when it is not there.</summary>
    public string? QemuPath { get; init; }

    public required string BusyboxPath { get; init; }

    public ExecutableLinkage Busybox { get; init; }

    /// <summary>The running kernel's release (uname -r); null when it cannot be read.</summary>
    public string? KernelRelease { get; init; }

    /// <summary>/boot/vmlinuz-&lt;release&gt;; null when the release is unknown.</summary>
    public string? LocalKernelPath { get; init; }

    public bool LocalKernelPresent { get; init; }

    /// <summary>The local kernel could be opened for reading (Ubuntu's are root-only).</summary>
    public bool LocalKernelReadable { get; init; }

    /// <summary>/lib/modules/&lt;release&gt;; null when the release is unknown.</summary>
    public string? LocalModulesPath { get; init; }

    public bool LocalModulesPresent { get; init; }

    /// <summary>kvm_amd is among the local modules (modules.dep, modules.builtin or kernel/arch/x86/kvm).</summary>
    public bool LocalModulesHaveKvmAmd { get; init; }

    /// <summary>apt-get as found on PATH; null when it is not there.</summary>
    public string? AptGetPath { get; init; }

    /// <summary>The local kernel when it is readable and has kvm_amd, else apt-get download when apt-get exists.</summary>
    public GuestKernelSource GuestKernelSource =>
        LocalKernelReadable && LocalModulesHaveKvmAmd ? GuestKernelSource.Local
        : AptGetPath is not null ? GuestKernelSource.AptDownload
        : GuestKernelSource.None;

    public static EmulatedHostFacts Probe(HostEnvironment? environment = null)
    {
        HostEnvironment host = environment ?? HostEnvironment.Real;
        string? release = File.Exists(host.KernelRelease) ? File.ReadAllText(host.KernelRelease).Trim() : null;
        release = string.IsNullOrEmpty(release) ? null : release;
        string? kernel = release is null ? null : Path.Combine(host.Boot, $"vmlinuz-{release}");
        string? modules = release is null ? null : Path.Combine(host.LibModules, release);
        return new EmulatedHostFacts
        {
            QemuPath = host.FindExecutable(QemuExecutable),
            BusyboxPath = host.Busybox,
            Busybox = LinkageOf(host.Busybox),
            KernelRelease = release,
            LocalKernelPath = kernel,
            LocalKernelPresent = kernel is not null && File.Exists(kernel),
            LocalKernelReadable = kernel is not null && CanRead(kernel),
            LocalModulesPath = modules,
            LocalModulesPresent = modules is not null && Directory.Exists(modules),
            LocalModulesHaveKvmAmd = modules is not null && HasKvmAmd(modules),
            AptGetPath = host.FindExecutable(AptGetExecutable),
        };
    }

    /// <summary>Reads the ELF header and program headers of <paramref name="path"/>: a PT_INTERP header means dynamic.</summary>
    public static ExecutableLinkage LinkageOf(string path)
    {
        const uint PtInterp = 3;
        if (!File.Exists(path))
        {
            return ExecutableLinkage.Missing;
        }

        try
        {
            using FileStream file = File.OpenRead(path);
            Span<byte> header = stackalloc byte[64];
            if (file.ReadAtLeast(header, 52, throwOnEndOfStream: false) < 52 ||
                header[0] != 0x7f || header[1] != (byte)'E' || header[2] != (byte)'L' || header[3] != (byte)'F' || header[5] != 1)
            {
                return ExecutableLinkage.Unrecognized;
            }

            bool is64 = header[4] == 2;
            long programHeaders = is64 ? (long)BinaryPrimitives.ReadUInt64LittleEndian(header[0x20..]) : BinaryPrimitives.ReadUInt32LittleEndian(header[0x1c..]);
            int entrySize = BinaryPrimitives.ReadUInt16LittleEndian(header[(is64 ? 0x36 : 0x2a)..]);
            int count = BinaryPrimitives.ReadUInt16LittleEndian(header[(is64 ? 0x38 : 0x2c)..]);
            if (entrySize < 4 || programHeaders <= 0)
            {
                return ExecutableLinkage.Unrecognized;
            }

            Span<byte> type = stackalloc byte[4];
            for (int i = 0; i < count; i++)
            {
                file.Position = programHeaders + ((long)i * entrySize);
                if (file.ReadAtLeast(type, 4, throwOnEndOfStream: false) < 4)
                {
                    return ExecutableLinkage.Unrecognized;
                }

                if (BinaryPrimitives.ReadUInt32LittleEndian(type) == PtInterp)
                {
                    return ExecutableLinkage.Dynamic;
                }
            }

            return ExecutableLinkage.Static;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return ExecutableLinkage.Unrecognized;
        }
    }

    private static bool CanRead(string path)
    {
        try
        {
            using FileStream file = File.OpenRead(path);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>kvm-amd.ko (possibly compressed) in modules.dep or modules.builtin, or its file in kernel/arch/x86/kvm.</summary>
    private static bool HasKvmAmd(string modules)
    {
        foreach (string index in new[] { "modules.dep", "modules.builtin" })
        {
            string file = Path.Combine(modules, index);
            if (File.Exists(file) && File.ReadLines(file).Any(line => line.Contains("/kvm-amd.ko", StringComparison.Ordinal)))
            {
                return true;
            }
        }

        string kvm = Path.Combine(modules, "kernel", "arch", "x86", "kvm");
        return Directory.Exists(kvm) && Directory.EnumerateFiles(kvm, "kvm-amd.ko*").Any();
    }
}
