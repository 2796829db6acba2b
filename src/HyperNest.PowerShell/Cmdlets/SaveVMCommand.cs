using System.Management.Automation;
using HyperNest.PowerShell.Objects;

namespace HyperNest.PowerShell.Cmdlets;

/// <summary>Saves a virtual machine.</summary>
/// <remarks>
/// <para>Pauses a Running or Paused VM, writes its memory and its devices' and processors' state into its folder and
/// ends its run: the VM is Saved. Start-VM continues it where it stopped, without booting, on the accelerator it was
/// saved on.</para>
/// <para>Unlike Hyper-V, a VM that runs its own VMs (nested virtualization) can be saved with them running. A saved
/// state is refused at start when the VM's memory, processors, disks or adapters changed since; Remove-VMSavedState
/// discards it.</para>
/// </remarks>
/// <example>
/// <code>Save-VM -Name web</code>
/// <para>Saves web; Get-VM web then shows it Saved.</para>
/// </example>
/// <example>
/// <code>Save-VM web; Start-VM web</code>
/// <para>Saves web and continues it: the guest goes on from the moment it was saved.</para>
/// </example>
[Cmdlet(VerbsData.Save, "VM", SupportsShouldProcess = true, DefaultParameterSetName = NameSet)]
[OutputType(typeof(VirtualMachine))]
public sealed class SaveVMCommand : VmNameCmdlet
{
    protected override void ProcessRecord() => ChangeState("Save", vm => Manager.Save(vm.Id.ToString()));
}
