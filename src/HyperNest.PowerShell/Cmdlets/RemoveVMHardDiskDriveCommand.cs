using System.Management.Automation;
using HyperNest.Management.Model;
using HyperNest.PowerShell.Objects;

namespace HyperNest.PowerShell.Cmdlets;

/// <summary>Deletes a hard disk drive from a virtual machine.</summary>
/// <remarks>
/// <para>Detaches a disk from a VM that is Off; the disk file stays. The drive is named as Hyper-V names it, by VM,
/// controller type, controller number and location, or piped from Get-VMHardDiskDrive. HyperNest's disks are on one
/// controller, Virtio number 0 (SCSI is taken as the same controller, for scripts written for Hyper-V; IDE is
/// refused), at locations 0, 1, ... in the order they were attached; removing one moves those after it up.</para>
/// </remarks>
/// <example>
/// <code>Remove-VMHardDiskDrive -VMName web -ControllerType Virtio -ControllerNumber 0 -ControllerLocation 1</code>
/// <para>Detaches web's second disk.</para>
/// </example>
/// <example>
/// <code>Get-VMHardDiskDrive web | Remove-VMHardDiskDrive</code>
/// <para>Detaches every disk of web.</para>
/// </example>
[Cmdlet(VerbsCommon.Remove, "VMHardDiskDrive", SupportsShouldProcess = true, DefaultParameterSetName = VMNameSet)]
[OutputType(typeof(HardDiskDrive))]
public sealed class RemoveVMHardDiskDriveCommand : HyperNestCmdlet
{
    public const string VMNameSet = "VMName";
    public const string DriveSet = "VMHardDiskDrive";

    /// <summary>The VM to detach the drive from.</summary>
    [Parameter(ParameterSetName = VMNameSet, Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string VMName { get; set; } = string.Empty;

    /// <summary>The drive's controller: Virtio (SCSI is taken as the same controller).</summary>
    [Parameter(ParameterSetName = VMNameSet, Mandatory = true, Position = 1)]
    [ValidateSet(HardDiskDrive.VirtioControllerType, "SCSI", "IDE")]
    public string ControllerType { get; set; } = HardDiskDrive.VirtioControllerType;

    /// <summary>The controller's number: 0, HyperNest's one controller.</summary>
    [Parameter(ParameterSetName = VMNameSet, Mandatory = true, Position = 2)]
    public int ControllerNumber { get; set; }

    /// <summary>The drive's location on the controller: 0 for the first disk attached.</summary>
    [Parameter(ParameterSetName = VMNameSet, Mandatory = true, Position = 3)]
    public int ControllerLocation { get; set; }

    /// <summary>The drives to detach, from Get-VMHardDiskDrive.</summary>
    [Parameter(ParameterSetName = DriveSet, Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [ValidateNotNullOrEmpty]
    public HardDiskDrive[] VMHardDiskDrive { get; set; } = [];

    /// <summary>Writes each detached drive to the pipeline.</summary>
    [Parameter]
    public SwitchParameter Passthru { get; set; }

    protected override void ProcessRecord()
    {
        IEnumerable<HardDiskDrive> drives = ParameterSetName == DriveSet ? VMHardDiskDrive : FindDrive();
        foreach (HardDiskDrive drive in drives)
        {
            if (ShouldProcess(drive.VMName, $"Remove hard disk drive '{drive.Path}'")
                && Attempt(drive.VMName, () => Manager.RemoveHardDiskDrive(drive.VMId.ToString(), drive.Path)) is not null && Passthru)
            {
                WriteObject(drive);
            }
        }
    }

    private IEnumerable<HardDiskDrive> FindDrive()
    {
        VmInfo? vm = FindVms([VMName]).FirstOrDefault();
        if (vm is null)
        {
            yield break;
        }

        HardDiskDrive[] drives = HardDiskDrive.AllOf(vm);
        if (ControllerType == "IDE" || ControllerNumber != 0 || ControllerLocation < 0 || ControllerLocation >= drives.Length)
        {
            WriteError(new ErrorRecord(
                new ItemNotFoundException($"HyperNest was unable to find a hard disk drive at {ControllerType} {ControllerNumber}:{ControllerLocation} on virtual machine \"{vm.Name}\" ({(drives.Length == 0 ? "it has no disks" : $"its disks are at Virtio 0:0 to 0:{drives.Length - 1}")})."),
                "VMHardDiskDriveNotFound",
                ErrorCategory.ObjectNotFound,
                VMName));
            yield break;
        }

        yield return drives[ControllerLocation];
    }
}
