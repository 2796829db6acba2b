using System.Management.Automation;
using HyperNest.PowerShell.Objects;

namespace HyperNest.PowerShell.Cmdlets;

/// <summary>Deletes the saved state of a saved virtual machine.</summary>
/// <remarks>
/// <para>Discards a Saved VM's memory and device state: the VM is Off, and its next start boots afresh. A VM that is
/// already Off is a warning; one that is Running or Paused, an error.</para>
/// </remarks>
/// <example>
/// <code>Remove-VMSavedState -VMName web</code>
/// <para>Discards web's saved state; Start-VM web then boots it.</para>
/// </example>
[Cmdlet(VerbsCommon.Remove, "VMSavedState", SupportsShouldProcess = true, DefaultParameterSetName = NameSet)]
[OutputType(typeof(VirtualMachine))]
public sealed class RemoveVMSavedStateCommand : VmNameCmdlet
{
    protected override void ProcessRecord() => ChangeState("Remove saved state", vm => Manager.RemoveSavedState(vm.Id.ToString()));
}
