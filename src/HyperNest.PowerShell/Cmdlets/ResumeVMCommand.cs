using System.Management.Automation;
using HyperNest.PowerShell.Objects;

namespace HyperNest.PowerShell.Cmdlets;

/// <summary>Resume-VM [-Name] &lt;String[]&gt; | [-VM] &lt;VirtualMachine[]&gt; [-Passthru]: resumes a paused VM.</summary>
[Cmdlet(VerbsLifecycle.Resume, "VM", SupportsShouldProcess = true, DefaultParameterSetName = NameSet)]
[OutputType(typeof(VirtualMachine))]
public sealed class ResumeVMCommand : VmNameCmdlet
{
    protected override void ProcessRecord() => ChangeState("Resume", vm => Manager.Resume(vm.Id.ToString()));
}
