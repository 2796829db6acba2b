using System.Management.Automation;
using HyperNest.Management.Checkpoints;
using HyperNest.PowerShell.Objects;

namespace HyperNest.PowerShell.Cmdlets;

/// <summary>
/// Restore-VMSnapshot (alias Restore-VMCheckpoint) [-Name] &lt;String&gt; [-VMName] &lt;String&gt; | [-VMSnapshot]
/// &lt;VMSnapshot&gt; | [-VM] &lt;VirtualMachine&gt; [-Name] &lt;String&gt; [-Passthru]: applies a checkpoint to a VM that is
/// Off or Saved (a running one is refused: turn it off first). Its present disks and state are discarded; a checkpoint
/// that holds a saved state leaves the VM Saved, and Start-VM continues from it. Asks for confirmation, as Hyper-V does.
/// </summary>
[Cmdlet(VerbsData.Restore, "VMSnapshot", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = SnapshotNameSet)]
[Alias("Restore-VMCheckpoint")]
[OutputType(typeof(VMSnapshot))]
public sealed class RestoreVMSnapshotCommand : VmOneSnapshotCmdlet
{
    protected override void ProcessRecord()
    {
        (string vm, string checkpoint, string shown) = Target();
        if (ShouldProcess(shown, $"Restore-VMSnapshot will restore checkpoint \"{shown}\""))
        {
            CheckpointInfo? restored = Attempt(shown, () => Manager.RestoreCheckpoint(vm, checkpoint));
            if (Passthru)
            {
                WriteSnapshot(restored);
            }
        }
    }
}
