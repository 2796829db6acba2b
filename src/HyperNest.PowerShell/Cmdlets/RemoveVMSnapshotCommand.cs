using System.Management.Automation;
using HyperNest.Management.Checkpoints;
using HyperNest.PowerShell.Objects;

namespace HyperNest.PowerShell.Cmdlets;

/// <summary>Deletes a virtual machine checkpoint.</summary>
/// <remarks>
/// <para>Removes checkpoints from a VM's tree. Their disk changes are merged, so the VM and its other checkpoints keep
/// all they hold: removing the first checkpoint merges its changes back into your own disk image. Without -Name, every
/// checkpoint of the VM goes. -IncludeAllChildSnapshots removes each checkpoint's descendants too. Also known by its
/// alias, Remove-VMCheckpoint.</para>
/// </remarks>
/// <example>
/// <code>Remove-VMSnapshot -VMName web -Name BeforeUpdate</code>
/// <para>Removes web's checkpoint BeforeUpdate; web keeps its present content.</para>
/// </example>
/// <example>
/// <code>Get-VMSnapshot web | Remove-VMSnapshot</code>
/// <para>Removes all of web's checkpoints: its disks are its own images again.</para>
/// </example>
[Cmdlet(VerbsCommon.Remove, "VMSnapshot", SupportsShouldProcess = true, DefaultParameterSetName = VmDeviceCmdlet.VMNameSet)]
[Alias("Remove-VMCheckpoint")]
[OutputType(typeof(VMSnapshot))]
public sealed class RemoveVMSnapshotCommand : VmSnapshotCmdlet
{
    // Not by property name: a piped VMSnapshot (which has a VMName) must bind as the checkpoint, not as all of its VM's.
    /// <summary>The names of the VMs whose checkpoints to remove (wildcards allowed).</summary>
    [Parameter(ParameterSetName = VmDeviceCmdlet.VMNameSet, Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(Completion.VmNameCompleter))]
    [SupportsWildcards]
    public string[] VMName { get; set; } = [];

    /// <summary>
    /// The names (wildcards allowed) or ids of the checkpoints; without it, every checkpoint of the VM.
    /// </summary>
    [Parameter(ParameterSetName = VmDeviceCmdlet.VMNameSet, Position = 1)]
    [Parameter(ParameterSetName = VMObjectSet, Position = 1)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Name { get; set; }

    /// <summary>Checkpoint objects, as Get-VMSnapshot writes them (also from the pipeline).</summary>
    [Parameter(ParameterSetName = SnapshotObjectSet, Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [ValidateNotNullOrEmpty]
    public VMSnapshot[] VMSnapshot { get; set; } = [];

    /// <summary>VM objects, as Get-VM writes them (also from the pipeline).</summary>
    [Parameter(ParameterSetName = VMObjectSet, Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [ValidateNotNullOrEmpty]
    public VirtualMachine[] VM { get; set; } = [];

    /// <summary>Also removes every checkpoint below each one removed.</summary>
    [Parameter]
    [Alias("IncludeAllChildCheckpoints")]
    public SwitchParameter IncludeAllChildSnapshots { get; set; }

    /// <summary>Writes each checkpoint removed to the pipeline.</summary>
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
