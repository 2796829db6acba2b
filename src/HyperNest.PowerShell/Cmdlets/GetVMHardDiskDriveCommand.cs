using System.Management.Automation;
using HyperNest.PowerShell.Objects;

namespace HyperNest.PowerShell.Cmdlets;

/// <summary>Get-VMHardDiskDrive [-VMName] &lt;String[]&gt; | [-VM] &lt;VirtualMachine[]&gt;.</summary>
[Cmdlet(VerbsCommon.Get, "VMHardDiskDrive", DefaultParameterSetName = VMNameSet)]
[OutputType(typeof(HardDiskDrive))]
public sealed class GetVMHardDiskDriveCommand : VmDeviceCmdlet
{
    protected override void ProcessRecord() => WriteForEachVm(HardDiskDrive.AllOf);
}
