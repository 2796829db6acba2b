using System.Management.Automation;
using HyperNest.Management.Model;
using HyperNest.PowerShell.Objects;

namespace HyperNest.PowerShell.Cmdlets;

/// <summary>Start-VM [-Name] &lt;String[]&gt; | [-VM] &lt;VirtualMachine[]&gt; [-Passthru]: starts the VM's worker (or resumes a paused VM).</summary>
[Cmdlet(VerbsLifecycle.Start, "VM", SupportsShouldProcess = true, DefaultParameterSetName = NameSet)]
[OutputType(typeof(VirtualMachine))]
public sealed class StartVMCommand : VmNameCmdlet
{
    protected override void ProcessRecord() => ChangeState("Start", vm =>
    {
        if (vm.State == VmState.Off && HnestBinary.Locate() is null)
        {
            throw new FileNotFoundException(HnestBinary.NotFoundMessage);
        }

        return Manager.Start(vm.Id.ToString());
    });
}
