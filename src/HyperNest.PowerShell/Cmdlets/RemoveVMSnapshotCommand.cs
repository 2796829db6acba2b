using System.Management.Automation;
using HyperNest.Management.Checkpoints;
using HyperNest.PowerShell.Objects;

namespace HyperNest.PowerShell.Cmdlets;

/// <summary>
/// Remove-VMSnapshot (alias Remove-VMCheckpoint) [-VMName] &lt;String[]&gt; [[-Name] &lt;String[]&gt;] | [-VMSnapshot]
/// &lt;VMSnapshot[]&gt; | [-VM] &lt;VirtualMachine[]&gt; [[-Name] &lt;String[]&gt;] [-IncludeAllChildSnapshots] [-Passthru]:
/// the checkpoints leave the tree and their disk changes are merged, so the VM and the other checkpoints keep all they
/// hold. Without -Name, every checkpoint of the VM goes.
/// </summary>
[Cmdlet(VerbsCommon.Remove, "VMSnapshot", SupportsShouldProcess = true, DefaultParameterSetName = VmDeviceCmdlet.VMNameSet)]
[Alias("Remove-VMCheckpoint")]
[OutputType(typeof(VMSnapshot))]
public sealed class RemoveVMSnapshotCommand : VmSnapshotCmdlet
{
    // Not by property name: a piped VMSnapshot (which has a VMName) must bind as the checkpoint, not as all of its VM's.
    [Parameter(ParameterSetName = VmDeviceCmdlet.VMNameSet, Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string[] VMName { get; set; } = [];

    [Parameter(ParameterSetName = VmDeviceCmdlet.VMNameSet, Position = 1)]
    [Parameter(ParameterSetName = VMObjectSet, Position = 1)]
    [ValidateNotNullOrEmpty]
    public string[]? Name { get; set; }

    [Parameter(ParameterSetName = SnapshotObjectSet, Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [ValidateNotNullOrEmpty]
    public VMSnapshot[] VMSnapshot { get; set; } = [];

    [Parameter(ParameterSetName = VMObjectSet, Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [ValidateNotNullOrEmpty]
    public VirtualMachine[] VM { get; set; } = [];

    [Parameter]
    [Alias("IncludeAllChildCheckpoints")]
    public SwitchParameter IncludeAllChildSnapshots { get; set; }

    [Parameter]
    public SwitchParameter Passthru { get; set; }

    protected override void ProcessRecord()
    {
        IEnumerable<CheckpointInfo> targets = ParameterSetName switch
        {
            SnapshotObjectSet => Find(VMSnapshot),
            VMObjectSet => Find(FindVms(VM), Name),
            _ => Find(FindVms(VMName), Name),
        };

        // Listed first: removing one changes the others' parents, and a child removed with its parent is gone.
        foreach (CheckpointInfo checkpoint in targets.ToList())
        {
            if (ShouldProcess(checkpoint.Name, "Remove checkpoint")
                && Attempt(checkpoint.Name, () => Manager.RemoveCheckpoint(checkpoint.VmId.ToString(), checkpoint.Id.ToString(), IncludeAllChildSnapshots))
                && Passthru)
            {
                WriteSnapshot(checkpoint);
            }
        }
    }
}
