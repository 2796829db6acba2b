using System.Management.Automation;
using HyperNest.Management.Model;
using HyperNest.PowerShell.Objects;

namespace HyperNest.PowerShell.Cmdlets;

/// <summary>Shuts down, turns off, or saves a virtual machine.</summary>
/// <remarks>
/// <para>Without switches, presses the guest's ACPI power button and waits for the guest to power off (a Linux guest
/// needs systemd-logind or acpid to answer it). With -Force, the power is cut when the guest has not powered off in
/// time.</para>
/// <para>-TurnOff cuts the power at once, as pulling the plug: the guest loses what it has not written. It asks for
/// confirmation first unless -Force or -Confirm:$false. -Save saves the VM's state instead, as Save-VM does. A VM that
/// is already Off is a warning.</para>
/// </remarks>
/// <example>
/// <code>Stop-VM -Name web</code>
/// <para>Shuts web down through its power button and waits until it is Off.</para>
/// </example>
/// <example>
/// <code>Stop-VM -Name web -TurnOff -Force</code>
/// <para>Cuts web's power at once, without asking.</para>
/// </example>
/// <example>
/// <code>Get-VM | Where-Object State -eq Running | Stop-VM -Save</code>
/// <para>Saves every running VM; Start-VM later continues each where it was.</para>
/// </example>
[Cmdlet(VerbsLifecycle.Stop, "VM", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = NameSet)]
[OutputType(typeof(VirtualMachine))]
public sealed class StopVMCommand : VmNameCmdlet
{
    /// <summary>
    /// Turns the VM off when the guest does not shut down in time, and with -TurnOff skips the confirmation.
    /// </summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Cuts the VM's power at once instead of asking the guest to shut down.</summary>
    [Parameter]
    public SwitchParameter TurnOff { get; set; }

    /// <summary>Saves the VM's state (as Save-VM) instead of shutting it down. Not with -TurnOff.</summary>
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
