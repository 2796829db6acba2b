namespace HyperNest.Emulation.Image;

/// <summary>
/// Finds the emulated host's kernel: this host's own <c>/boot/vmlinuz-$(uname -r)</c> with its modules where both
/// are there and carry kvm_amd, else Debian's cloud kernel (the package linux-image-cloud-amd64 depends on), fetched
/// with <c>apt-get download</c> and unpacked with <c>dpkg -x</c> into the cache once. Nothing is installed.
/// </summary>
public sealed class KernelSource(string cacheDirectory, Action<string> progress)
{
    /// <summary>The meta-package that always points at the current Debian cloud kernel.</summary>
    public const string KernelMetaPackage = "linux-image-cloud-amd64";

    private const string UnpackedMarker = ".unpacked";

    /// <summary>
    /// How long an unpacked kernel is used without asking apt whether the meta-package points at a newer one: the
    /// question costs a few hundred milliseconds of every start, and a kernel a week old is as good a host.
    /// </summary>
    public static readonly TimeSpan RecheckAfter = TimeSpan.FromDays(7);
    private bool _aptUpdated;

    /// <summary>The kernel to use; throws <see cref="EmulationException"/> when none can be had.</summary>
    public LinuxKernel Find() => Local(root: "/") ?? Fetched();

    /// <summary>The running kernel under <paramref name="root"/>, when its image and a kvm_amd module are there.</summary>
    internal static LinuxKernel? Local(string root)
    {
        string release;
        try
        {
            release = File.ReadAllText(Path.Combine(root, "proc/sys/kernel/osrelease")).Trim();
        }
        catch (IOException)
        {
            return null;
        }

        string vmlinuz = Path.Combine(root, "boot", $"vmlinuz-{release}");
        string modules = Path.Combine(root, "lib", "modules", release);
        bool usable = File.Exists(vmlinuz) && Directory.Exists(modules)
            && Directory.EnumerateFiles(modules, "kvm-amd.ko*", SearchOption.AllDirectories).Any();
        return usable ? new LinuxKernel(release, vmlinuz, modules) : null;
    }

    /// <summary>Debian's cloud kernel from the cache, downloaded and unpacked on first use.</summary>
    public LinuxKernel Fetched()
    {
        string packages = CacheFolders.Create(cacheDirectory, "packages");
        string? name = RecentlyUnpacked(packages) ?? ResolvePackageName();
        if (name is null)
        {
            // Offline with an empty apt list: any kernel unpacked before will do.
            name = Directory.GetDirectories(packages, "linux-image-*")
                .Where(d => File.Exists(Path.Combine(d, UnpackedMarker)))
                .Select(Path.GetFileName)
                .OrderDescending(StringComparer.Ordinal)
                .FirstOrDefault()
                ?? throw new EmulationException(
                    $"no kernel for the emulated host: this host has no /boot/vmlinuz with kvm_amd, and apt cannot find {KernelMetaPackage}");
        }

        string root = Unpack(name, packages);
        string modules = Directory.GetDirectories(Path.Combine(root, "lib", "modules")).Single();
        string version = Path.GetFileName(modules);
        string vmlinuz = Path.Combine(root, "boot", $"vmlinuz-{version}");
        return File.Exists(vmlinuz)
            ? new LinuxKernel(version, vmlinuz, modules)
            : throw new EmulationException($"{name} holds no {vmlinuz}");
    }

    /// <summary>The newest kernel unpacked within <see cref="RecheckAfter"/>, or null.</summary>
    private static string? RecentlyUnpacked(string packages) => Directory.GetDirectories(packages, "linux-image-*")
        .Where(d => File.Exists(Path.Combine(d, UnpackedMarker))
            && DateTime.UtcNow - File.GetLastWriteTimeUtc(Path.Combine(d, UnpackedMarker)) < RecheckAfter)
        .Select(Path.GetFileName)
        .OrderDescending(StringComparer.Ordinal)
        .FirstOrDefault();

    private string? ResolvePackageName()
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

        progress($"fetching {name} with apt-get download (once)");
        string download = Path.Combine(packages, $"{name}.download");
        RecreateDirectory(download);
        Apt("apt-get", ["download", name], download).ThrowIfFailed($"apt-get download {name}");
        string deb = Directory.GetFiles(download, "*.deb").Single();

        RecreateDirectory(target);
        ProcessRunner.RunChecked("dpkg", ["-x", deb, target]);
        using (var marker = new StreamWriter(CacheFolders.Access.OpenFile(Path.Combine(target, UnpackedMarker), FileMode.Create)))
        {
            marker.Write(Path.GetFileName(deb));
        }

        Directory.Delete(download, recursive: true);
        return target;
    }

    /// <summary>Runs an apt tool; on failure refreshes the package lists once (a fresh machine has none) and retries.</summary>
    private ProcessRunner.Result Apt(string tool, string[] arguments, string? workingDirectory = null)
    {
        if (ProcessRunner.FindOnPath(tool) is null)
        {
            return new ProcessRunner.Result(127, "", $"{tool} is not installed");
        }

        ProcessRunner.Result result = ProcessRunner.Run(tool, arguments, workingDirectory);
        if (!result.Succeeded && !_aptUpdated)
        {
            progress("apt-get update (the package lists are needed to find the kernel)");
            ProcessRunner.Run("apt-get", ["update"]);
            _aptUpdated = true;
            result = ProcessRunner.Run(tool, arguments, workingDirectory);
        }

        return result;
    }

    private static void RecreateDirectory(string path)
    {
        if (Directory.Exists(path))
        {
            Directory.Delete(path, recursive: true);
        }

        CacheFolders.Access.CreateDirectory(path);
    }
}
