using System.Management.Automation;
using HyperNest.Management.Model;
using HyperNest.PowerShell.Objects;

namespace HyperNest.PowerShell.Cmdlets;

/// <summary>
/// Remove-VM [-Name] &lt;String[]&gt; | [-VM] &lt;VirtualMachine[]&gt; [-Force] [-Passthru]: deletes the VM (its disk images
/// stay). Asks for confirmation unless -Force; a VM that is not Off is turned off only with -Force.
/// </summary>
[Cmdlet(VerbsCommon.Remove, "VM", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = NameSet)]
[OutputType(typeof(VirtualMachine))]
public sealed class RemoveVMCommand : VmNameCmdlet
{
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void ProcessRecord()
    {
        foreach (VmInfo vm in TargetVms())
        {
            if (ShouldProcessHighImpact(vm.Name, "Remove virtual machine", Force)
                && Attempt(vm.Name, () => Manager.RemoveVm(vm.Id.ToString(), Force)) && Passthru)
            {
                WriteObject(ToObject(vm));
            }
        }
    }
}
