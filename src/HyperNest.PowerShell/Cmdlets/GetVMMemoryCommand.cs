using System.Management.Automation;
using HyperNest.PowerShell.Objects;

namespace HyperNest.PowerShell.Cmdlets;

/// <summary>Get-VMMemory [-VMName] &lt;String[]&gt; | [-VM] &lt;VirtualMachine[]&gt;.</summary>
[Cmdlet(VerbsCommon.Get, "VMMemory", DefaultParameterSetName = VMNameSet)]
[OutputType(typeof(VMMemory))]
public sealed class GetVMMemoryCommand : VmDeviceCmdlet
{
    protected override void ProcessRecord() => WriteForEachVm(VMMemory.From);
}
