using System.Management.Automation;
using HyperNest.Management.Model;
using HyperNest.PowerShell.Objects;

namespace HyperNest.PowerShell.Cmdlets;

/// <summary>
/// Checkpoint-VM [-Name] &lt;String[]&gt; | [-VM] &lt;VirtualMachine[]&gt; [[-SnapshotName] &lt;String&gt;] [-Passthru]: a
/// Standard checkpoint of each VM (Off: disks and settings; Saved, Running or Paused: also its state and memory),
/// named "VM - (date - time)" unless -SnapshotName. -Passthru writes the checkpoint (Hyper-V's Snapshot object).
/// </summary>
[Cmdlet(VerbsData.Checkpoint, "VM", SupportsShouldProcess = true, DefaultParameterSetName = NameSet)]
[OutputType(typeof(VMSnapshot))]
public sealed class CheckpointVMCommand : VmNameCmdlet
{
    [Parameter(Position = 1)]
    [Alias("CheckpointName")]
    [ValidateNotNullOrEmpty]
    public string? SnapshotName { get; set; }

    protected override void ProcessRecord()
    {
        foreach (VmInfo vm in TargetVms())
        {
            if (ShouldProcess(vm.Name, "Checkpoint virtual machine")
                && Attempt(vm.Name, () => Manager.Checkpoint(vm.Id.ToString(), SnapshotName)) is { } checkpoint && Passthru)
            {
                WriteObject(VMSnapshot.From(checkpoint));
            }
        }
    }
}
