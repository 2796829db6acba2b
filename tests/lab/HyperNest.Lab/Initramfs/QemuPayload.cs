using HyperNest.Emulation.Cpio;
using HyperNest.Emulation.Image;

namespace HyperNest.Lab.Initramfs;

/// <summary>
/// The host's qemu-system-x86_64 for the lab (the boot benchmark's baseline VMM): the binary at
/// /lab/qemu/qemu-system-x86_64, the libraries it links at their own paths, and its x86 firmware under
/// /lab/qemu/share (passed with -L; microvm boots through bios-microvm.bin).
/// </summary>
public static class QemuPayload
{
    public const string Binary = "/usr/bin/qemu-system-x86_64";
    public const string FirmwareDirectory = "/usr/share/qemu";

    private static readonly string[] Firmware = ["bios-microvm.bin", "qboot.rom", "linuxboot_dma.bin", "kvmvapic.bin", "pvh.bin"];

    public const string QemuImg = "/usr/bin/qemu-img";

    /// <summary>The host's qemu-img at /lab/qemu-img with its libraries: the oracle of the images hnest writes in the lab.</summary>
    public static void WriteQemuImg(NewcArchiveWriter archive)
    {
        if (!File.Exists(QemuImg))
        {
            throw new LabException($"{QemuImg} is missing (apt-get install qemu-utils)");
        }

        BusyboxRoot.WriteProgram(archive, "lab/qemu-img", QemuImg);
    }

    public static void WriteTo(NewcArchiveWriter archive)
    {
        if (!File.Exists(Binary))
        {
            throw new LabException($"{Binary} is missing (apt-get install qemu-system-x86)");
        }

        // glibc is already there when hnest is carried too.
        BusyboxRoot.WriteProgram(archive, "lab/qemu/qemu-system-x86_64", Binary);

        foreach (string name in Firmware)
        {
            string path = Path.Combine(FirmwareDirectory, name);
            if (File.Exists(path))
            {
                archive.AddHostFile($"lab/qemu/share/{name}", path, BusyboxRoot.Readable);
            }
        }
    }
}
