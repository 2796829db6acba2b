using System.Management.Automation;
using HyperNest.PowerShell.Objects;

namespace HyperNest.PowerShell.Cmdlets;

/// <summary>
/// Get-VMSnapshot (alias Get-VMCheckpoint) [-VMName] &lt;String[]&gt; | [-VM] &lt;VirtualMachine[]&gt; [[-Name] &lt;String&gt;]
/// [-SnapshotType Standard]: the VMs' checkpoints, oldest first, with their parents (ParentSnapshotName).
/// </summary>
[Cmdlet(VerbsCommon.Get, "VMSnapshot", DefaultParameterSetName = VmDeviceCmdlet.VMNameSet)]
[Alias("Get-VMCheckpoint")]
[OutputType(typeof(VMSnapshot))]
public sealed class GetVMSnapshotCommand : VmSnapshotCmdlet
{
    [Parameter(ParameterSetName = VmDeviceCmdlet.VMNameSet, Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string[] VMName { get; set; } = [];

    [Parameter(ParameterSetName = VMObjectSet, Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [ValidateNotNullOrEmpty]
    public VirtualMachine[] VM { get; set; } = [];

    [Parameter(Position = 1)]
    [ValidateNotNullOrEmpty]
    public string? Name { get; set; }

    /// <summary>HyperNest's checkpoints are all Standard: another type lists nothing.</summary>
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
