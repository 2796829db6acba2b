using System.Management.Automation;
using HyperNest.Management.Model;
using HyperNest.PowerShell.Objects;

namespace HyperNest.PowerShell.Cmdlets;

/// <summary>Restarts a virtual machine.</summary>
/// <remarks>
/// <para>A hard restart, as Hyper-V's: the VM is cut off as by a power cut and boots again at once, with the same
/// settings, disks and network adapters, in the same worker process. It stays Running throughout (a Paused VM runs
/// again), its Uptime starts over and its console log continues. What the guest had not written to disk is lost.</para>
/// <para>Works from Running and Paused; an Off or Saved VM is refused with Hyper-V's message (InvalidOperation). Asks
/// for confirmation unless -Force or -Confirm:$false.</para>
/// <para>-Type Reset (the default) is the hard restart. -Type Reboot, asking the guest's OS to reboot, is refused:
/// HyperNest has no channel to the guest's OS (Hyper-V uses its Shutdown integration service). A guest that reboots by
/// itself restarts the same way as a reset. -Wait, -For, -AsJob and remote sessions are not offered.</para>
/// </remarks>
/// <example>
/// <code>Restart-VM -Name web -Force</code>
/// <para>Resets web without asking; its guest boots again with the same settings and disks.</para>
/// </example>
/// <example>
/// <code>Get-VM web* | Restart-VM -Force -Passthru</code>
/// <para>Resets every running VM whose name starts with web and writes each one, Running, to the pipeline.</para>
/// </example>
[Cmdlet(VerbsLifecycle.Restart, "VM", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = NameSet)]
[OutputType(typeof(VirtualMachine))]
public sealed class RestartVMCommand : VmNameCmdlet
{
    /// <summary>Restarts without asking for confirmation.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Reset (the default): a hard restart. Reboot: ask the guest's OS to reboot, which HyperNest cannot do yet (refused).</summary>
    [Parameter]
    public RestartType Type { get; set; } = RestartType.Reset;

    protected override void ProcessRecord()
    {
        foreach (VmInfo vm in TargetVms())
        {
            if (ShouldProcessHighImpact(vm.Name, "Restart virtual machine", Force))
            {
                Report(Attempt(vm.Name, () => Manager.Restart(vm.Id.ToString(), Type)));
            }
        }
    }
}
