using System.Management.Automation;
using HyperNest.Management.Checkpoints;
using HyperNest.PowerShell.Objects;

namespace HyperNest.PowerShell.Cmdlets;

/// <summary>Restores a virtual machine checkpoint.</summary>
/// <remarks>
/// <para>Applies a checkpoint to a VM that is Off or Saved; a running one is refused (turn it off first). The VM's
/// present disks and state are discarded and its settings become the checkpoint's. A checkpoint that holds a saved
/// state leaves the VM Saved, and Start-VM continues from that moment; otherwise it is Off. Asks for confirmation
/// first, as Hyper-V does, unless -Confirm:$false. Also known by its alias, Restore-VMCheckpoint.</para>
/// </remarks>
/// <example>
/// <code>Restore-VMSnapshot -VMName web -Name BeforeUpdate -Confirm:$false</code>
/// <para>Takes web back to its checkpoint BeforeUpdate without asking.</para>
/// </example>
/// <example>
/// <code>Stop-VM web -TurnOff -Force; Get-VMSnapshot web -Name BeforeUpdate | Restore-VMSnapshot; Start-VM web</code>
/// <para>Turns web off, restores the checkpoint (asking first) and starts web from it.</para>
/// </example>
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
