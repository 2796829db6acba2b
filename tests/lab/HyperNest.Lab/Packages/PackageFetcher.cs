using HyperNest.Lab.Initramfs;

namespace HyperNest.Lab.Packages;

/// <summary>
/// Brings the lab's inputs from Debian apt, the only package source the lab uses: QEMU and busybox-static are
/// installed on the host when missing (CI starts from a fresh machine, as root); the kernel package is fetched with
/// <c>apt-get download</c> and unpacked with <c>dpkg -x</c> into the cache, once.
/// </summary>
public sealed class PackageFetcher(LabPaths paths, Action<string> log)
{
    /// <summary>The meta-package that always points at the current Debian 12 cloud kernel.</summary>
    public const string KernelMetaPackage = "linux-image-cloud-amd64";

    public const string QemuExecutable = "qemu-system-x86_64";
    public const string BusyboxPath = "/bin/busybox";

    private const string UnpackedMarker = ".unpacked";
    private bool _aptUpdated;

    /// <summary>Installs qemu-system-x86 and busybox-static when QEMU is missing or busybox is missing or dynamic.</summary>
    public void EnsureHostTools()
    {
        if (ProcessRunner.FindOnPath(QemuExecutable) is not null && IsStaticBusybox())
        {
            return;
        }

        log("installing qemu-system-x86 and busybox-static with apt-get");
        RunApt("apt-get", ["install", "-y", "--no-install-recommends", "qemu-system-x86", "busybox-static"]);
        if (ProcessRunner.FindOnPath(QemuExecutable) is null || !IsStaticBusybox())
        {
            throw new LabException($"apt-get install did not provide {QemuExecutable} and a static {BusyboxPath}");
        }
    }

    /// <summary>The cloud kernel the meta-package currently depends on, downloaded and unpacked on first use.</summary>
    public KernelPackage GetKernel()
    {
        string packages = paths.CacheDirectory("packages");
        string? name = ResolveKernelPackageName();
        if (name is null)
        {
            // Offline with an empty apt list: any kernel unpacked before will do.
            name = Directory.GetDirectories(packages, "linux-image-*")
                .Where(d => File.Exists(Path.Combine(d, UnpackedMarker)))
                .Select(Path.GetFileName)
                .OrderDescending(StringComparer.Ordinal)
                .FirstOrDefault()
                ?? throw new LabException($"apt-cache cannot resolve {KernelMetaPackage} and no kernel is cached");
        }

        string root = Unpack(name, packages);
        string modules = Directory.GetDirectories(Path.Combine(root, "lib", "modules")).Single();
        string version = Path.GetFileName(modules);
        string vmlinuz = Path.Combine(root, "boot", $"vmlinuz-{version}");
        return File.Exists(vmlinuz)
            ? new KernelPackage(version, vmlinuz, modules)
            : throw new LabException($"{name} holds no {vmlinuz}");
    }

    private string? ResolveKernelPackageName()
    {
        ProcessRunner.Result result = Apt("apt-cache", ["depends", KernelMetaPackage]);
        return !result.Succeeded ? null : result.StandardOutput.Split('\n')
            .Select(line => line.Trim())
            .Where(line => line.StartsWith("Depends: linux-image-", StringComparison.Ordinal))
            .Select(line => line["Depends: ".Length..])
            .FirstOrDefault();
    }

    /// <summary>Downloads and unpacks a package into packages/&lt;name&gt;; a finished unpack is reused.</summary>
    private string Unpack(string name, string packages)
    {
        string target = Path.Combine(packages, name);
        if (File.Exists(Path.Combine(target, UnpackedMarker)))
        {
            return target;
        }

        log($"fetching {name} with apt-get download");
        string download = Path.Combine(packages, $"{name}.download");
        RecreateDirectory(download);
        RunApt("apt-get", ["download", name], download);
        string deb = Directory.GetFiles(download, "*.deb").Single();

        RecreateDirectory(target);
        ProcessRunner.RunChecked("dpkg", ["-x", deb, target]);
        File.WriteAllText(Path.Combine(target, UnpackedMarker), Path.GetFileName(deb));
        Directory.Delete(download, recursive: true);
        return target;
    }

    private void RunApt(string tool, string[] arguments, string? workingDirectory = null)
    {
        Apt(tool, arguments, workingDirectory).ThrowIfFailed($"{tool} {string.Join(' ', arguments)}");
    }

    /// <summary>Runs an apt tool; on failure refreshes the package lists once (a fresh machine has none) and retries.</summary>
    private ProcessRunner.Result Apt(string tool, string[] arguments, string? workingDirectory = null)
    {
        ProcessRunner.Result result = ProcessRunner.Run(tool, arguments, workingDirectory);
        if (!result.Succeeded && !_aptUpdated)
        {
            log("apt-get update");
            ProcessRunner.Run("apt-get", ["update"]);
            _aptUpdated = true;
            result = ProcessRunner.Run(tool, arguments, workingDirectory);
        }

        return result;
    }

    /// <summary>The lab runs busybox as PID 1 with no libraries beside it, so it must be the static build.</summary>
    private static bool IsStaticBusybox() =>
        File.Exists(BusyboxPath) && !SharedLibraries.IsDynamic(BusyboxPath);

    private static void RecreateDirectory(string path)
    {
        if (Directory.Exists(path))
        {
            Directory.Delete(path, recursive: true);
        }

        Directory.CreateDirectory(path);
    }
}
