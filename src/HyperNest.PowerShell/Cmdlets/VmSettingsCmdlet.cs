using System.Management.Automation;
using HyperNest.Management.Model;

namespace HyperNest.PowerShell.Cmdlets;

/// <summary>The Set- and Add- cmdlets of a VM's settings and devices: ShouldProcess per VM, and -Passthru.</summary>
public abstract class VmSettingsCmdlet : VmDeviceCmdlet
{
    /// <summary>
    /// Writes what the cmdlet changed, as changed, to the pipeline; without it the cmdlet writes nothing.
    /// </summary>
    [Parameter]
    public SwitchParameter Passthru { get; set; }

    /// <summary>
    /// Applies <paramref name="change"/> to every target under ShouldProcess; with -Passthru writes what
    /// <paramref name="passthru"/> makes of the VM as changed.
    /// </summary>
    protected void ChangeSettings(string action, Func<VmInfo, VmInfo> change, Func<VmInfo, object> passthru)
    {
        foreach (VmInfo vm in TargetVms())
        {
            if (ShouldProcess(vm.Name, action) && Attempt(vm.Name, () => change(vm)) is { } changed && Passthru)
            {
                WriteObject(passthru(changed));
            }
        }
    }
}
