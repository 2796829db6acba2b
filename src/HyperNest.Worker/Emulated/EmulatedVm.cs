using System.Globalization;
using HyperNest.Emulation;
using HyperNest.Emulation.Image;
using HyperNest.Emulation.Qemu;
using HyperNest.Management.Store;
using HyperNest.Vmm;

namespace HyperNest.Worker;

/// <summary>
/// Turns a VM's configuration into an emulated host launch: the cached image, and a payload whose hnest command line
/// runs the same VM on the emulated host's KVM — kernel and initrd carried in, disks passed through as virtio-blk
/// (QEMU opens a qcow2 disk with its backing chain; inside every disk is raw) and named /hnest/diskN inside, network adapters as the emulated host's NICs (<see cref="EmulatedPorts"/>).
/// </summary>
public static class EmulatedVm
{
    /// <summary>The control port's file descriptor inside the emulated host (see the init script).</summary>
    public const int ControlFd = 4;

    /// <summary>
    /// The launch of <paramref name="config"/>. With <paramref name="saveArea"/> (a managed VM), that host file is the
    /// disk a save writes the memory to (/hnest/save inside); with <paramref name="restore"/>, the VM continues from
    /// that state file (carried in) and memory file (/hnest/saved inside, read-only) instead of booting. A guest's
    /// reboot restarts the VM inside the same emulated host for a managed VM (the control port's worker always does),
    /// and for a foreground run with <paramref name="restartOnReboot"/>.
    /// </summary>
    public static EmulatedHostLaunch Prepare(
        VmConfig config, EmulatedPorts? ports, EmulatedChannel channel, string logPath, Action<string> progress,
        string? saveArea = null, (string State, string Memory)? restore = null, bool restartOnReboot = false)
    {
        string hnest = NativeHnest.Locate();
        EmulatedHostImage image = EmulatedHostImage.Prepare(hnest, StoreLocation.ResolveCache(), progress);
        var payload = new RunPayload()
            .Argument(channel == EmulatedChannel.Signals ? "signals" : "protocol")
            .Argument("run").Argument("--accel").Argument("kvm");
        if (channel == EmulatedChannel.Protocol)
        {
            payload.Argument("--control-fd").Argument(ControlFd.ToString(CultureInfo.InvariantCulture));
        }
        else if (restartOnReboot)
        {
            payload.Argument("--on-reboot").Argument("restart");
        }

        if (config.KernelPath is not null)
        {
            payload.Argument("--kernel").Argument(payload.File(config.KernelPath, "kernel"));
        }

        if (config.InitrdPath is not null)
        {
            payload.Argument("--initrd").Argument(payload.File(config.InitrdPath, "initrd"));
        }

        if (!string.IsNullOrWhiteSpace(config.KernelArguments))
        {
            // The = form keeps an argument that starts with '-' from reading as an option.
            payload.Argument($"--append={config.KernelArguments}");
        }

        payload.Argument("--memory").Argument($"{config.MemoryBytes >> 20}M")
            .Argument("--cpus").Argument(config.VcpuCount.ToString(CultureInfo.InvariantCulture));
        if (config.ExposeVirtualizationExtensions)
        {
            payload.Argument("--nested");
        }

        var disks = new List<EmulatedHostDisk>();
        foreach ((DiskConfig disk, int index) in config.Disks.Select((d, i) => (d, i)))
        {
            var passed = EmulatedHostDisk.Disk(index, Path.GetFullPath(disk.Path), disk.ReadOnly, Vmm.Disks.DiskImage.FormatName(disk.EffectiveFormat));
            disks.Add(passed);
            string options = (disk.ReadOnly ? ",readonly" : "") + (disk.Serial is { Length: > 0 } serial ? $",serial={serial}" : "");
            payload.Argument("--disk").Argument(passed.InnerPath + options);
        }

        if (saveArea is not null)
        {
            var area = new EmulatedHostDisk("save", saveArea, ReadOnly: false);
            disks.Add(area);
            payload.Argument("--save-area").Argument(area.InnerPath);
        }

        if (restore is { } saved)
        {
            var memory = new EmulatedHostDisk("saved", saved.Memory, ReadOnly: true);
            disks.Add(memory);
            payload.Argument("--restore-state").Argument(payload.File(saved.State, "saved.state"))
                .Argument("--restore-memory").Argument(memory.InnerPath);
        }

        ports?.AddTo(payload);
        return new EmulatedHostLaunch(image, payload, config.MemoryBytes, config.VcpuCount, disks, logPath) { Nics = ports?.Nics ?? [] };
    }
}
