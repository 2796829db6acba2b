using System.Globalization;

namespace HyperNest.Emulation.Qemu;

/// <summary>
/// The emulated host's QEMU command line: TCG (QEMU's software CPU, multi-threaded) emulating an AMD CPU with SVM on
/// the microvm machine (virtio-mmio devices described in ACPI, no PCI, no firmware to run), the serial console on
/// QEMU's stdout, three virtio-serial ports to Unix sockets the host listens on, and the VM's disks as virtio-blk.
/// </summary>
public static class QemuCommand
{
    /// <summary>
    /// The CPU model. EPYC (AMD, SVM) ran the lab's three-level nested scenario faster than qemu64,+svm (median
    /// 75.9 s against 124.1 s over 10 runs each on a loaded machine; both timed out now and then under that load:
    /// docs/benchmarks.md); $HYPERNEST_EMULATED_CPU overrides it.
    /// </summary>
    public const string DefaultCpuModel = "EPYC";

    public const string CpuModelVariable = "HYPERNEST_EMULATED_CPU";

    /// <summary>The virtio-serial ports, by name: the init script looks them up in /sys/class/virtio-ports.</summary>
    public static readonly string[] PortNames = ["hnest.console", "hnest.stderr", "hnest.control"];

    /// <summary>kvm_amd's nested=1 is handed to insmod by the init script, not read by the kernel.</summary>
    public const string KernelArguments = "console=ttyS0 panic=-1 quiet";

    public static string CpuModel =>
        Environment.GetEnvironmentVariable(CpuModelVariable) is { Length: > 0 } model ? model : DefaultCpuModel;

    /// <param name="kernel">The emulated host's bzImage.</param>
    /// <param name="initrd">Its initramfs (the cached image with this run's payload appended).</param>
    /// <param name="memoryMiB">The emulated host's RAM: the VM's plus room for the host's own kernel and files.</param>
    /// <param name="cpus">Emulated CPUs, one per vCPU of the VM.</param>
    /// <param name="portSockets">Unix socket paths, one per <see cref="PortNames"/> entry, in that order.</param>
    /// <param name="disks">The VM's disks.</param>
    /// <param name="nics">The VM's network adapters: TAP devices QEMU opens by name, with vnet headers.</param>
    public static IReadOnlyList<string> For(
        string kernel, string initrd, ulong memoryMiB, int cpus, IReadOnlyList<string> portSockets, IReadOnlyList<EmulatedHostDisk> disks,
        IReadOnlyList<EmulatedHostNic> nics)
    {
        var arguments = new List<string>
        {
            "-accel", "tcg,thread=multi", "-M", "microvm", "-cpu", CpuModel,
            "-m", memoryMiB.ToString(CultureInfo.InvariantCulture), "-smp", cpus.ToString(CultureInfo.InvariantCulture),
            "-nodefaults", "-no-user-config", "-display", "none", "-serial", "stdio", "-no-reboot",
            "-kernel", kernel, "-initrd", initrd, "-append", KernelArguments + TscEarlyKhz(),
            "-device", "virtio-serial-device",
        };
        for (int i = 0; i < PortNames.Length; i++)
        {
            arguments.AddRange([
                "-chardev", $"socket,id=port{i},path={portSockets[i]}",
                "-device", $"virtserialport,chardev=port{i},name={PortNames[i]}",
            ]);
        }

        foreach (EmulatedHostDisk disk in disks)
        {
            // QEMU's drive syntax separates options with commas; a comma in a path is doubled.
            string file = disk.Path.Replace(",", ",,", StringComparison.Ordinal);
            arguments.AddRange([
                "-drive", $"id={disk.Name},file={file},format={disk.Format},if=none,cache=writeback{(disk.ReadOnly ? ",readonly=on" : "")}",
                "-device", $"virtio-blk-device,drive={disk.Name},serial={disk.Serial}",
            ]);
        }

        foreach (EmulatedHostNic nic in nics)
        {
            arguments.AddRange([
                "-netdev", $"tap,id=net{nic.Index},ifname={nic.TapName},script=no,downscript=no,vnet_hdr=on",
                "-device", $"virtio-net-device,netdev=net{nic.Index},mac={nic.QemuMacAddress}",
            ]);
        }

        return arguments;
    }

    /// <summary>
    /// " tsc_early_khz=&lt;host TSC kHz&gt;", or nothing when the host does not say. Under TCG the guest's TSC is the
    /// host's, but microvm offers no HPET or PM timer and the kernel's PIT calibration fails on a busy host; the
    /// kernel then has no TSC frequency and hangs in early boot (seen in half the boots on a loaded 2-core host).
    /// </summary>
    public static string TscEarlyKhz()
    {
        string? line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("cpu MHz", StringComparison.Ordinal));
        string? mhz = line?[(line.IndexOf(':') + 1)..].Trim();
        return decimal.TryParse(mhz, NumberStyles.Float, CultureInfo.InvariantCulture, out decimal value) && value > 0
            ? $" tsc_early_khz={(long)(value * 1000)}"
            : "";
    }
}
