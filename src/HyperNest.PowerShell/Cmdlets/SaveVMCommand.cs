using System.Management.Automation;
using HyperNest.PowerShell.Objects;

namespace HyperNest.PowerShell.Cmdlets;

/// <summary>
/// Save-VM [-Name] &lt;String[]&gt; | [-VM] &lt;VirtualMachine[]&gt; [-Passthru]: saves a running or paused VM's state
/// (memory, devices, processors) and ends its run; Start-VM continues it where it was.
/// </summary>
[Cmdlet(VerbsData.Save, "VM", SupportsShouldProcess = true, DefaultParameterSetName = NameSet)]
[OutputType(typeof(VirtualMachine))]
public sealed class SaveVMCommand : VmNameCmdlet
{
    protected override void ProcessRecord() => ChangeState("Save", vm => Manager.Save(vm.Id.ToString()));
}
