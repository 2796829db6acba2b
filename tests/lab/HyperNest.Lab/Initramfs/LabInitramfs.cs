using System.Collections;
using System.Globalization;
using System.Text;
using HyperNest.Emulation.Cpio;
using HyperNest.Emulation.Image;

namespace HyperNest.Lab.Initramfs;

/// <summary>
/// The lab host's initramfs: busybox, kvm and kvm_amd with their dependencies, an /init that loads them and runs
/// /lab/scenario.sh, and, when the scenario needs them, /lab/hnest with its glibc, /lab/vmlinuz and
/// /lab/guest-initrd.img. The runner's HNEST_* environment variables (HNEST_REBOOT_EXIT_CODE, HNEST_TIMEOUT, ...)
/// are carried as /lab/env, which the scenario functions source.
/// </summary>
public static class LabInitramfs
{
    /// <summary>KVM, and the bridge and TAP drivers hnest's virtual switches are made of.</summary>
    public static readonly string[] Modules = ["kvm_amd", "bridge", "tun"];

    /// <summary>
    /// What a scenario that runs hnest finds under /lab: hnest with its glibc, the guest kernel and initramfs, and for
    /// nested scenarios (<c># lab-needs: nested-guest</c>) the nested guest's initramfs, which carries this same
    /// payload one level down.
    /// </summary>
    public sealed record HnestPayload(string Hnest, string GuestKernel, string GuestInitrd, string? NestedGuestInitrd = null)
    {
        public void WriteTo(NewcArchiveWriter archive)
        {
            BusyboxRoot.WriteProgram(archive, "lab/hnest", Hnest);

            archive.AddHostFile("lab/vmlinuz", GuestKernel, BusyboxRoot.Readable);
            archive.AddHostFile("lab/guest-initrd.img", GuestInitrd, BusyboxRoot.Readable);
            if (NestedGuestInitrd is not null)
            {
                archive.AddHostFile("lab/nested-guest-initrd.img", NestedGuestInitrd, BusyboxRoot.Readable);
            }
        }
    }

    public static void Build(
        LabPaths paths, KernelModules modules, string scenarioName, string scenarioScript, HnestPayload? payload, string output, bool withQemu = false, bool withQemuImg = false)
    {
        using var archive = new NewcArchiveWriter(File.Create(output));
        RootFilesystem.Write(archive, paths, "lab-init.sh");
        BusyboxRoot.WriteModules(archive, modules, Modules);
        archive.AddHostFile("lab/lib.sh", Path.Combine(paths.InitScripts, "lab-lib.sh"), BusyboxRoot.Readable);
        archive.AddFile("lab/scenario.sh", scenarioScript, BusyboxRoot.Executable);
        archive.AddFile("lab/scenario-name", scenarioName + "\n", BusyboxRoot.Readable);
        archive.AddFile("lab/env", EnvironmentScript(), BusyboxRoot.Readable);
        payload?.WriteTo(archive);
        if (withQemu)
        {
            QemuPayload.WriteTo(archive);
        }

        if (withQemuImg)
        {
            QemuPayload.WriteQemuImg(archive);
        }
    }

    /// <summary>export lines for the host's HNEST_* variables, except the one naming the binary to carry.</summary>
    internal static string EnvironmentScript()
    {
        var script = new StringBuilder();
        foreach (DictionaryEntry variable in Environment.GetEnvironmentVariables())
        {
            string name = (string)variable.Key;
            if (name.StartsWith("HNEST_", StringComparison.Ordinal) && name != HnestBinary.EnvironmentVariable)
            {
                // Single-quoted for sh: a quote inside the value becomes '\''.
                string value = ((string?)variable.Value ?? "").Replace("'", "'\\''", StringComparison.Ordinal);
                script.Append(CultureInfo.InvariantCulture, $"export {name}='{value}'\n");
            }
        }

        return script.ToString();
    }
}
