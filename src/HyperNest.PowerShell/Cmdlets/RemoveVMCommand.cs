using System.Management.Automation;
using HyperNest.Management.Model;
using HyperNest.PowerShell.Objects;

namespace HyperNest.PowerShell.Cmdlets;

/// <summary>Deletes a virtual machine.</summary>
/// <remarks>
/// <para>Deletes the VM from the store: its folder, settings, logs and checkpoints. The disk images you attached stay
/// where they are; a disk that a checkpoint froze keeps what it held at that checkpoint, so remove the checkpoints
/// first (Remove-VMSnapshot) to keep the changes since.</para>
/// <para>Asks for confirmation first unless -Force or -Confirm:$false. A VM that is not Off is refused unless -Force,
/// which turns it off first.</para>
/// </remarks>
/// <example>
/// <code>Remove-VM -Name test -Force</code>
/// <para>Deletes the VM named test without asking, turning it off first if it runs.</para>
/// </example>
/// <example>
/// <code>Get-VM old* | Remove-VM</code>
/// <para>Asks, for each VM whose name starts with old, whether to delete it.</para>
/// </example>
[Cmdlet(VerbsCommon.Remove, "VM", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = NameSet)]
[OutputType(typeof(VirtualMachine))]
public sealed class RemoveVMCommand : VmNameCmdlet
{
    /// <summary>Deletes without asking, and turns off a VM that is not Off first.</summary>
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
