using System.Management.Automation;
using HyperNest.PowerShell.Objects;

namespace HyperNest.PowerShell.Cmdlets;

/// <summary>Gets the checkpoints associated with a virtual machine.</summary>
/// <remarks>
/// <para>Writes a VMSnapshot object for each checkpoint of the VMs, oldest first, with its parent (ParentSnapshotName),
/// creation time and whether it holds a saved state. -Name keeps the checkpoints of that name (wildcards) or id; an
/// exact name that matches nothing is an ObjectNotFound error. Also known by its alias, Get-VMCheckpoint.</para>
/// </remarks>
/// <example>
/// <code>Get-VMSnapshot -VMName web</code>
/// <para>Lists web's checkpoints.</para>
/// </example>
/// <example>
/// <code>Get-VMCheckpoint web -Name Before*</code>
/// <para>Lists web's checkpoints whose names begin with Before.</para>
/// </example>
[Cmdlet(VerbsCommon.Get, "VMSnapshot", DefaultParameterSetName = VmDeviceCmdlet.VMNameSet)]
[Alias("Get-VMCheckpoint")]
[OutputType(typeof(VMSnapshot))]
public sealed class GetVMSnapshotCommand : VmSnapshotCmdlet
{
    /// <summary>
    /// The names of the VMs (wildcards allowed); also taken from the pipeline from objects with a VMName property.
    /// </summary>
    [Parameter(ParameterSetName = VmDeviceCmdlet.VMNameSet, Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(Completion.VmNameCompleter))]
    [SupportsWildcards]
    public string[] VMName { get; set; } = [];

    /// <summary>VM objects, as Get-VM writes them (also from the pipeline).</summary>
    [Parameter(ParameterSetName = VMObjectSet, Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [ValidateNotNullOrEmpty]
    public VirtualMachine[] VM { get; set; } = [];

    /// <summary>Only the checkpoints with this name (wildcards allowed) or id.</summary>
    [Parameter(Position = 1)]
    [ValidateNotNullOrEmpty]
    public string? Name { get; set; }

    /// <summary>Only checkpoints of this type; HyperNest's are all Standard, so another type lists nothing.</summary>
    [Parameter]
    [ValidateSet("Standard", "Recovery", "Planned", "Missing", "Replica", "AppConsistentReplica", "SyncedReplica")]
    public string? SnapshotType { get; set; }

    protected override void ProcessRecord()
    {
        if (SnapshotType is not null && !SnapshotType.Equals("Standard", StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        foreach (Management.Checkpoints.CheckpointInfo checkpoint in Find(ParameterSetName == VMObjectSet ? FindVms(VM) : FindVms(VMName), Name is null ? null : [Name]))
        {
            WriteSnapshot(checkpoint);
        }
    }
}
