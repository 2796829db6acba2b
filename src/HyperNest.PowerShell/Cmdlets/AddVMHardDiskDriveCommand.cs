using System.Management.Automation;
using HyperNest.Management.Model;
using HyperNest.PowerShell.Objects;

namespace HyperNest.PowerShell.Cmdlets;

/// <summary>Adds a hard disk drive to a virtual machine.</summary>
/// <remarks>
/// <para>Attaches an existing disk image to a VM as a virtio-blk drive; the guest sees it after the VM's other disks
/// (/dev/vdb after /dev/vda). A file named *.qcow2 is read as qcow2, any other as a raw image; Hyper-V's VHD and VHDX
/// are not read. The VM must be Off. HyperNest opens the file as whoever starts the VM and leaves its mode
/// alone.</para>
/// <para>A writable image is locked while the VM runs, so no other VM opens it; a read-only one may be shared.</para>
/// </remarks>
/// <example>
/// <code>Add-VMHardDiskDrive -VMName web -Path /srv/images/data.qcow2</code>
/// <para>Attaches data.qcow2 to web as its next disk.</para>
/// </example>
/// <example>
/// <code>Add-VMHardDiskDrive web ./seed.img -ReadOnly</code>
/// <para>Attaches seed.img, a raw image in the current folder, read-only.</para>
/// </example>
[Cmdlet(VerbsCommon.Add, "VMHardDiskDrive", SupportsShouldProcess = true, DefaultParameterSetName = VMNameSet)]
[OutputType(typeof(HardDiskDrive))]
public sealed class AddVMHardDiskDriveCommand : VmSettingsCmdlet
{
    /// <summary>
    /// The disk image's path (relative to the current folder): raw, or qcow2 when its name ends in .qcow2.
    /// </summary>
    [Parameter(Mandatory = true, Position = 1)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = string.Empty;

    /// <summary>HyperNest's addition: the guest sees a read-only disk, and the file is never written.</summary>
    [Parameter]
    public SwitchParameter ReadOnly { get; set; }

    protected override void ProcessRecord()
    {
        string path = GetUnresolvedProviderPathFromPSPath(Path);
        ChangeSettings($"Add hard disk drive '{path}'", vm =>
        {
            VmInfo changed = Manager.AddHardDiskDrive(vm.Id.ToString(), path, ReadOnly);
            WriteTailWarnings([changed.Configuration.HardDrives[^1].Path]);
            return changed;
        }, vm => HardDiskDrive.AllOf(vm)[^1]);
    }
}
