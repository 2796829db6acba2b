using System.Management.Automation;
using HyperNest.PowerShell.Objects;

namespace HyperNest.PowerShell.Cmdlets;

/// <summary>Gets the memory of a virtual machine.</summary>
/// <remarks>
/// <para>Writes one VMMemory object per VM: Startup, and with Dynamic Memory the Minimum, Maximum, Buffer (percent) and
/// Priority within which HyperNest moves the memory a running VM has. Sizes are in bytes. What a running VM has now is
/// Get-VM's MemoryAssigned and MemoryDemand.</para>
/// </remarks>
/// <example>
/// <code>Get-VMMemory -VMName web</code>
/// <para>Shows web's memory settings.</para>
/// </example>
/// <example>
/// <code>Get-VM | Get-VMMemory | Where-Object DynamicMemoryEnabled</code>
/// <para>Lists the memory of every VM with Dynamic Memory on.</para>
/// </example>
[Cmdlet(VerbsCommon.Get, "VMMemory", DefaultParameterSetName = VMNameSet)]
[OutputType(typeof(VMMemory))]
public sealed class GetVMMemoryCommand : VmDeviceCmdlet
{
    protected override void ProcessRecord() => WriteForEachVm(VMMemory.From);
}
