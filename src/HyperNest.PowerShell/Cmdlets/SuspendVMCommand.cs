using System.Management.Automation;
using HyperNest.PowerShell.Objects;

namespace HyperNest.PowerShell.Cmdlets;

/// <summary>Suspend-VM [-Name] &lt;String[]&gt; | [-VM] &lt;VirtualMachine[]&gt; [-Passthru]: pauses a running VM's processors.</summary>
[Cmdlet(VerbsLifecycle.Suspend, "VM", SupportsShouldProcess = true, DefaultParameterSetName = NameSet)]
[OutputType(typeof(VirtualMachine))]
public sealed class SuspendVMCommand : VmNameCmdlet
{
    protected override void ProcessRecord() => ChangeState("Suspend", vm => Manager.Suspend(vm.Id.ToString()));
}
