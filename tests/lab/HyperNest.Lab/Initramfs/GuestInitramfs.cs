using HyperNest.Emulation.Cpio;
using HyperNest.Emulation.Image;

namespace HyperNest.Lab.Initramfs;

/// <summary>
/// The inner guest's initramfs: busybox, the virtio modules Debian builds as modules, every guest scenario script
/// from tests/lab/guest as /scenarios/&lt;name&gt;.sh, and an /init that runs the one named by <c>hnest.scenario=</c>
/// on the kernel command line. The nested guest's initramfs is the same plus KVM (kvm_amd and its dependencies)
/// and an hnest payload under /lab, so that the guest can run hnest itself (three levels: lab, hnest VM, hnest VM).
/// </summary>
public static class GuestInitramfs
{
    /// <summary>virtio_mmio first: it is the transport the block, net, balloon and memory drivers bind through.</summary>
    public static readonly string[] Modules = ["virtio_mmio", "virtio_blk", "virtio_net", "virtio_balloon", "virtio_mem"];

    /// <summary>What a nested guest loads after the virtio modules; insmod fails (and init goes on) without SVM.</summary>
    public static readonly string[] NestedModules = [.. Modules, .. LabInitramfs.Modules];

    public static void Build(LabPaths paths, KernelModules modules, string output, LabInitramfs.HnestPayload? nestedPayload = null)
    {
        using var archive = new NewcArchiveWriter(File.Create(output));
        RootFilesystem.Write(archive, paths, "guest-init.sh");
        BusyboxRoot.WriteModules(archive, modules, nestedPayload is null ? Modules : NestedModules);
        nestedPayload?.WriteTo(archive);
        foreach (string script in Directory.GetFiles(paths.GuestScenarios, "*.sh").Order(StringComparer.Ordinal))
        {
            archive.AddHostFile($"scenarios/{Path.GetFileName(script)}", script, BusyboxRoot.Executable);
        }
    }
}
