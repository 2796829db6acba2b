using System.Globalization;

namespace HyperNest.Lab.Qemu;

/// <summary>QEMU command lines: the lab host (TCG with SVM, so KVM inside it is real) and the guest check.</summary>
public static class QemuCommand
{
    public const int LabMemoryMiB = 1536;
    public const int LabCpus = 2;

    /// <summary>kvm_amd.nested=1 is not for the kernel itself: the lab's init hands it to insmod.</summary>
    public const string LabAppend = "console=ttyS0 panic=-1 quiet kvm_amd.nested=1";

    public static IReadOnlyList<string> Lab(string kernel, string initrd) =>
    [
        "-accel", "tcg,thread=multi", "-cpu", "qemu64,+svm", "-m", LabMemoryMiB.ToString(CultureInfo.InvariantCulture),
        "-smp", LabCpus.ToString(CultureInfo.InvariantCulture), .. Common(kernel, initrd, LabAppend),
    ];

    /// <summary>
    /// The inner guest's kernel and initramfs booted straight under TCG, to prove the guest side without hnest.
    /// microvm describes its virtio-mmio devices in ACPI, which the virtio_mmio module binds to.
    /// </summary>
    public static IReadOnlyList<string> Guest(string kernel, string initrd, string append, int cpus, int memoryMiB, string? disk, bool diskReadOnly)
    {
        var arguments = new List<string>
        {
            "-accel", "tcg,thread=multi", "-m", memoryMiB.ToString(CultureInfo.InvariantCulture),
            "-smp", cpus.ToString(CultureInfo.InvariantCulture),
        };
        arguments.AddRange(Common(kernel, initrd, append));
        if (disk is not null)
        {
            arguments.AddRange([
                "-drive", $"id=disk0,file={disk},format=raw,if=none{(diskReadOnly ? ",readonly=on" : "")}",
                "-device", "virtio-blk-device,drive=disk0",
            ]);
        }

        return arguments;
    }

    private static string[] Common(string kernel, string initrd, string append) =>
    [
        "-M", "microvm", "-nographic", "-no-reboot", "-kernel", kernel, "-initrd", initrd, "-append", append + TscEarlyKhz(),
    ];

    /// <summary>
    /// " tsc_early_khz=&lt;host TSC kHz&gt;", or nothing when the host does not say. Under TCG the guest's TSC is the
    /// host's, but microvm offers no HPET or PM timer and the kernel's PIT calibration fails on a busy host; the
    /// kernel then has no TSC frequency and hangs in early boot (seen in half the boots on a loaded 2-core host).
    /// </summary>
    internal static string TscEarlyKhz()
    {
        string? line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("cpu MHz", StringComparison.Ordinal));
        string? mhz = line?[(line.IndexOf(':') + 1)..].Trim();
        return decimal.TryParse(mhz, NumberStyles.Float, CultureInfo.InvariantCulture, out decimal value) && value > 0
            ? $" tsc_early_khz={(long)(value * 1000)}"
            : "";
    }
}
