using System.Management.Automation;
using HyperNest.PowerShell.Objects;

namespace HyperNest.PowerShell.Cmdlets;

/// <summary>Suspends, or pauses, a virtual machine.</summary>
/// <remarks>
/// <para>Pauses a Running VM's processors; its memory and devices stay as they are, in the worker's process, until
/// Resume-VM. The VM's state becomes Paused. A VM that is not Running is an error; one already Paused, a
/// warning.</para>
/// </remarks>
/// <example>
/// <code>Suspend-VM -Name web</code>
/// <para>Pauses web.</para>
/// </example>
[Cmdlet(VerbsLifecycle.Suspend, "VM", SupportsShouldProcess = true, DefaultParameterSetName = NameSet)]
[OutputType(typeof(VirtualMachine))]
public sealed class SuspendVMCommand : VmNameCmdlet
{
    protected override void ProcessRecord() => ChangeState("Suspend", vm => Manager.Suspend(vm.Id.ToString()));
}
