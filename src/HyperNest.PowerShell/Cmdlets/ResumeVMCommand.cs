using System.Management.Automation;
using HyperNest.PowerShell.Objects;

namespace HyperNest.PowerShell.Cmdlets;

/// <summary>Resumes a suspended (paused) virtual machine.</summary>
/// <remarks>
/// <para>Lets a Paused VM's processors run again; the VM is Running. A VM that is not Paused is an error or, when it is
/// already Running, a warning. To continue a Saved VM, use Start-VM.</para>
/// </remarks>
/// <example>
/// <code>Resume-VM -Name web</code>
/// <para>Resumes web after Suspend-VM.</para>
/// </example>
[Cmdlet(VerbsLifecycle.Resume, "VM", SupportsShouldProcess = true, DefaultParameterSetName = NameSet)]
[OutputType(typeof(VirtualMachine))]
public sealed class ResumeVMCommand : VmNameCmdlet
{
    protected override void ProcessRecord() => ChangeState("Resume", vm => Manager.Resume(vm.Id.ToString()));
}
