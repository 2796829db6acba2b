using System.Management.Automation;
using HyperNest.Management.Model;
using HyperNest.PowerShell.Objects;

namespace HyperNest.PowerShell.Cmdlets;

/// <summary>
/// Stop-VM [-Name] &lt;String[]&gt; | [-VM] &lt;VirtualMachine[]&gt; [-Force] [-TurnOff] [-Save] [-Passthru]: asks the guest
/// to shut down (with -Force, cuts the power if it does not in time), or cuts the power at once with -TurnOff — an
/// operation of high impact that asks for confirmation unless -Force or -Confirm:$false.
/// </summary>
[Cmdlet(VerbsLifecycle.Stop, "VM", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = NameSet)]
[OutputType(typeof(VirtualMachine))]
public sealed class StopVMCommand : VmNameCmdlet
{
    [Parameter]
    public SwitchParameter Force { get; set; }

    [Parameter]
    public SwitchParameter TurnOff { get; set; }

    [Parameter]
    public SwitchParameter Save { get; set; }

    protected override void BeginProcessing()
    {
        if (TurnOff && Save)
        {
            ThrowTerminatingError(new ErrorRecord(
                new ArgumentException("-TurnOff and -Save cannot be used together."), "InvalidParameter", ErrorCategory.InvalidArgument, null));
        }
    }

    protected override void ProcessRecord()
    {
        foreach (VmInfo vm in TargetVms())
        {
            string id = vm.Id.ToString();
            if (ShouldProcess(vm.Name, TurnOff ? "Turn off" : Save ? "Save" : "Shut down"))
            {
                Report(Attempt(vm.Name, () => Save ? Manager.Save(id) : Manager.Stop(id, new StopOptions { TurnOff = TurnOff, Force = Force })));
            }
        }
    }
}
