using System.Globalization;

namespace HyperNest.Lab.Qemu;

/// <summary>QEMU command lines: the lab host (TCG with SVM, so KVM inside it is real) and the guest check.</summary>
public static class QemuCommand
{
    public const int LabMemoryMiB = 1536;
    public const int LabCpus = 2;

    /// <summary>kvm_amd.nested=1 is not for the kernel itself: the lab's init hands it to insmod.</summary>
    public const string LabAppend = "console=ttyS0 panic=-1 quiet kvm_amd.nested=1";

    /// <summary>The emulated host's CPU model (EPYC unless $HYPERNEST_EMULATED_CPU says otherwise).</summary>
    public static IReadOnlyList<string> Lab(string kernel, string initrd) =>
    [
        "-accel", "tcg,thread=multi", "-cpu", Emulation.Qemu.QemuCommand.CpuModel, "-m", LabMemoryMiB.ToString(CultureInfo.InvariantCulture),
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
        "-M", "microvm", "-nographic", "-no-reboot", "-kernel", kernel, "-initrd", initrd, "-append", append + Emulation.Qemu.QemuCommand.TscEarlyKhz(),
    ];
}
