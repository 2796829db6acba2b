using System.Management.Automation;
using HyperNest.PowerShell.Objects;

namespace HyperNest.PowerShell.Cmdlets;

/// <summary>Gets the virtual hard disk drives attached to one or more virtual machines.</summary>
/// <remarks>
/// <para>Writes one HardDiskDrive object per disk of each VM, in the order the guest sees them (ControllerLocation;
/// /dev/vda is the first), with the image's Path and whether the guest sees it read-only. While checkpoints exist, a
/// writable disk's Path is its present image, the checkpoint overlay in the VM's folder.</para>
/// </remarks>
/// <example>
/// <code>Get-VMHardDiskDrive -VMName web</code>
/// <para>Lists web's disks.</para>
/// </example>
/// <example>
/// <code>Get-VM | Get-VMHardDiskDrive | Select-Object VMName, Path</code>
/// <para>Lists every VM's disk images.</para>
/// </example>
[Cmdlet(VerbsCommon.Get, "VMHardDiskDrive", DefaultParameterSetName = VMNameSet)]
[OutputType(typeof(HardDiskDrive))]
public sealed class GetVMHardDiskDriveCommand : VmDeviceCmdlet
{
    protected override void ProcessRecord() => WriteForEachVm(HardDiskDrive.AllOf);
}
