using System.Management.Automation;
using HyperNest.PowerShell.Objects;

namespace HyperNest.PowerShell.Cmdlets;

/// <summary>
/// Remove-VMSavedState [-VMName] &lt;String[]&gt; | [-VM] &lt;VirtualMachine[]&gt; [-Passthru]: discards a saved VM's
/// state; the VM is Off and its next start boots.
/// </summary>
[Cmdlet(VerbsCommon.Remove, "VMSavedState", SupportsShouldProcess = true, DefaultParameterSetName = NameSet)]
[OutputType(typeof(VirtualMachine))]
public sealed class RemoveVMSavedStateCommand : VmNameCmdlet
{
    protected override void ProcessRecord() => ChangeState("Remove saved state", vm => Manager.RemoveSavedState(vm.Id.ToString()));
}
