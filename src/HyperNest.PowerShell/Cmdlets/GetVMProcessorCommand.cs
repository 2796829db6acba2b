using System.Management.Automation;
using HyperNest.PowerShell.Objects;

namespace HyperNest.PowerShell.Cmdlets;

/// <summary>Get-VMProcessor [-VMName] &lt;String[]&gt; | [-VM] &lt;VirtualMachine[]&gt;.</summary>
[Cmdlet(VerbsCommon.Get, "VMProcessor", DefaultParameterSetName = VMNameSet)]
[OutputType(typeof(VMProcessor))]
public sealed class GetVMProcessorCommand : VmDeviceCmdlet
{
    protected override void ProcessRecord() => WriteForEachVm(VMProcessor.From);
}
