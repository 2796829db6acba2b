using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using HyperNest.Emulation.Cpio;

namespace HyperNest.Emulation.Image;

/// <summary>
/// The emulated host's kernel and initramfs. The initramfs (busybox, kvm_amd and the virtio modules, the init
/// script, hnest with the glibc pieces it links) is built on first use and cached under the cache directory, named
/// by a digest of its inputs: a new hnest, busybox, kernel or init script makes a new image, an unchanged one is
/// reused as is.
/// </summary>
public sealed record EmulatedHostImage(LinuxKernel Kernel, string Initramfs)
{
    /// <summary>Bumped when the image's layout changes, so old cached images are not reused.</summary>
    private const int FormatVersion = 2;

    /// <summary>
    /// virtio_mmio is the transport; virtio_blk carries the VM's disks, virtio_console the ports, virtio_net its network
    /// adapters, which bridge joins to the inner hnest's TAP devices (tun); kvm_amd pulls in kvm and irqbypass.
    /// </summary>
    public static readonly string[] Modules = ["virtio_mmio", "virtio_blk", "virtio_console", "virtio_net", "tun", "bridge", "kvm_amd"];

    private const string InitResource = "emulated-host-init.sh";

    /// <summary>
    /// The image for <paramref name="hnestBinary"/> (a NativeAOT hnest), built when missing. Progress lines (one per
    /// step) go to <paramref name="progress"/>. Throws <see cref="EmulationException"/> naming what is missing.
    /// </summary>
    public static EmulatedHostImage Prepare(string hnestBinary, string cacheDirectory, Action<string> progress)
    {
        string busybox = HostTools.Busybox();
        LinuxKernel kernel = new KernelSource(cacheDirectory, progress).Find();
        byte[] init = InitScript();
        string directory = CacheFolders.Create(cacheDirectory, "emulated-host");
        string image = Path.Combine(directory, $"initramfs-{Digest(hnestBinary, busybox, kernel, init)}.cpio");
        if (File.Exists(image))
        {
            return new EmulatedHostImage(kernel, image);
        }

        var clock = Stopwatch.StartNew();
        progress($"building the emulated host's image (once per hnest build): kernel {kernel.Version}, busybox, hnest");
        string temporary = $"{image}.{Environment.ProcessId}.tmp";
        try
        {
            using (var archive = new NewcArchiveWriter(CacheFolders.Access.OpenFile(temporary, FileMode.Create)))
            {
                // iproute2's ip: the inner hnest puts its TAP devices on bridges with it. A host without it builds an
                // image without it, and network adapters are refused on the host (EmulatedPorts) naming the package.
                BusyboxRoot.Write(archive, withIproute: HostTools.IprouteOrNull() is not null);
                progress("adding kvm_amd, the virtio modules, bridge and tun");
                BusyboxRoot.WriteModules(archive, new KernelModules(kernel.ModulesDirectory), Modules);
                archive.AddFile("init", init, BusyboxRoot.Executable);
                BusyboxRoot.WriteProgram(archive, "hnest/hnest", hnestBinary);
            }

            File.Move(temporary, image, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }

        foreach (string stale in Directory.GetFiles(directory, "initramfs-*.cpio").Where(f => f != image))
        {
            File.Delete(stale);
        }

        progress($"emulated host image ready: {new FileInfo(image).Length >> 20} MiB in {clock.Elapsed.TotalSeconds:F1} s");
        return new EmulatedHostImage(kernel, image);
    }

    internal static byte[] InitScript()
    {
        using Stream stream = typeof(EmulatedHostImage).Assembly.GetManifestResourceStream(InitResource)
            ?? throw new InvalidOperationException($"{InitResource} is not embedded");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    /// <summary>Names the image after everything it is made of (files by path, size and modification time).</summary>
    private static string Digest(string hnest, string busybox, LinuxKernel kernel, byte[] init)
    {
        var inputs = new StringBuilder();
        inputs.Append(CultureInfo.InvariantCulture, $"format {FormatVersion}\n");
        foreach (string file in new[] { hnest, busybox, HostTools.IprouteOrNull() ?? hnest, kernel.Vmlinuz })
        {
            var info = new FileInfo(file);
            inputs.Append(CultureInfo.InvariantCulture, $"{info.FullName} {info.Length} {info.LastWriteTimeUtc.Ticks}\n");
        }

        inputs.Append(kernel.ModulesDirectory).Append('\n').Append(Convert.ToHexString(SHA256.HashData(init)));
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(inputs.ToString())))[..16].ToLowerInvariant();
    }
}
