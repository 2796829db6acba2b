using System.Management.Automation;
using HyperNest.Management.Model;
using HyperNest.PowerShell.Objects;

namespace HyperNest.PowerShell.Cmdlets;

/// <summary>
/// The targets of the VM cmdlets as Hyper-V takes them: -Name (alias VMName, position 0, names or wildcards, from the
/// pipeline) or -VM (objects from Get-VM, from the pipeline). Measure-VM takes only these; the others add -Passthru
/// (<see cref="VmNameCmdlet"/>).
/// </summary>
public abstract class VmTargetCmdlet : HyperNestCmdlet
{
    public const string NameSet = "Name";

    public const string VMObjectSet = "VMObject";

    /// <summary>
    /// The names of the VMs to act on; a name with wildcards (web*) stands for every VM it matches. Also taken from the
    /// pipeline.
    /// </summary>
    [Parameter(ParameterSetName = NameSet, Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [Alias("VMName")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(Completion.VmNameCompleter))]
    [SupportsWildcards]
    public string[] Name { get; set; } = [];

    /// <summary>
    /// VM objects, as Get-VM writes them (also from the pipeline); each is read again by its id, so its present state
    /// counts.
    /// </summary>
    [Parameter(ParameterSetName = VMObjectSet, Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [ValidateNotNullOrEmpty]
    public VirtualMachine[] VM { get; set; } = [];

    protected IEnumerable<VmInfo> TargetVms() => ParameterSetName == VMObjectSet ? FindVms(VM) : FindVms(Name);
}

/// <summary>
/// Start-VM, Stop-VM, Suspend-VM, Resume-VM, Remove-VM, Set-VM and the other VM cmdlets that act on a VM: the targets
/// of <see cref="VmTargetCmdlet"/> and -Passthru.
/// </summary>
public abstract class VmNameCmdlet : VmTargetCmdlet
{
    /// <summary>
    /// Writes each VM, as the cmdlet left it (Checkpoint-VM: each checkpoint), to the pipeline; without it the cmdlet
    /// writes nothing.
    /// </summary>
    [Parameter]
    public SwitchParameter Passthru { get; set; }

    /// <summary>Runs a state change on every target: its warning (already in the state), its error, or the VM with -Passthru.</summary>
    protected void ChangeState(string action, Func<VmInfo, VmActionResult> change)
    {
        foreach (VmInfo vm in TargetVms())
        {
            if (!ShouldProcess(vm.Name, action))
            {
                continue;
            }

            Report(Attempt(vm.Name, () => change(vm)));
        }
    }

    protected void Report(VmActionResult? result)
    {
        WriteWarnings(result);
        if (result is not null && Passthru)
        {
            WriteObject(ToObject(result.Vm));
        }
    }
}
