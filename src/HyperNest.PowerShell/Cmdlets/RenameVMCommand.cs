using System.Management.Automation;
using HyperNest.Management.Model;
using HyperNest.PowerShell.Objects;

namespace HyperNest.PowerShell.Cmdlets;

/// <summary>Renames a virtual machine.</summary>
/// <remarks>
/// <para>Works in any state, as in Hyper-V: a running VM goes on running (its folder, worker and control socket are
/// named by its id, which does not change). The new name must be free: VM names are unique on a host, ignoring case.</para>
/// </remarks>
/// <example>
/// <code>Rename-VM -Name web -NewName web-old -Passthru</code>
/// <para>Renames web to web-old and writes the renamed VM.</para>
/// </example>
[Cmdlet(VerbsCommon.Rename, "VM", SupportsShouldProcess = true, DefaultParameterSetName = NameSet)]
[OutputType(typeof(VirtualMachine))]
public sealed class RenameVMCommand : VmNameCmdlet
{
    /// <summary>The VM's new name.</summary>
    [Parameter(Mandatory = true, Position = 1)]
    [ValidateNotNullOrEmpty]
    public string NewName { get; set; } = "";

    protected override void ProcessRecord()
    {
        foreach (VmInfo vm in TargetVms())
        {
            if (ShouldProcess(vm.Name, $"Rename virtual machine to \"{NewName}\"")
                && Attempt(vm.Name, () => Manager.RenameVm(vm.Id.ToString(), NewName)) is { } renamed && Passthru)
            {
                WriteObject(ToObject(renamed));
            }
        }
    }
}
