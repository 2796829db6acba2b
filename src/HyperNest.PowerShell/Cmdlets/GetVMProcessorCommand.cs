using System.Management.Automation;
using HyperNest.PowerShell.Objects;

namespace HyperNest.PowerShell.Cmdlets;

/// <summary>Gets the processor of a virtual machine.</summary>
/// <remarks>
/// <para>Writes one VMProcessor object per VM: its number of virtual processors (Count) and whether it exposes the
/// host's virtualization extensions (ExposeVirtualizationExtensions), so that it can run its own VMs.</para>
/// </remarks>
/// <example>
/// <code>Get-VMProcessor -VMName web</code>
/// <para>Shows web's processor count and whether it exposes virtualization extensions.</para>
/// </example>
/// <example>
/// <code>Get-VM | Get-VMProcessor | Where-Object ExposeVirtualizationExtensions</code>
/// <para>Lists the processors of the VMs set up for nested virtualization.</para>
/// </example>
[Cmdlet(VerbsCommon.Get, "VMProcessor", DefaultParameterSetName = VMNameSet)]
[OutputType(typeof(VMProcessor))]
public sealed class GetVMProcessorCommand : VmDeviceCmdlet
{
    protected override void ProcessRecord() => WriteForEachVm(VMProcessor.From);
}
