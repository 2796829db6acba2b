using System.Management.Automation;
using HyperNest.Management.Model;
using HyperNest.PowerShell.Objects;

namespace HyperNest.PowerShell.Cmdlets;

/// <summary>Creates a checkpoint of a virtual machine.</summary>
/// <remarks>
/// <para>Takes a Standard checkpoint, as Hyper-V has them: of a VM that is Off, its disks and settings; of one that is
/// Saved, Running or Paused, also its memory and device state, so that restoring it continues from that moment. The VM
/// goes on as it was. Each writable disk's present image is frozen and a qcow2 overlay in the VM's folder becomes its
/// disk.</para>
/// <para>The checkpoint is named "VM - (date - time)" unless -SnapshotName. Refused for a VM running on the emulated
/// accelerator (not supported yet; while Off it works) and for a running VM that exposes virtualization extensions, as
/// Hyper-V refuses it.</para>
/// </remarks>
/// <example>
/// <code>Checkpoint-VM -Name web -SnapshotName BeforeUpdate</code>
/// <para>Takes a checkpoint of web named BeforeUpdate.</para>
/// </example>
/// <example>
/// <code>Get-VM | Checkpoint-VM -Passthru</code>
/// <para>Takes a checkpoint of every VM and shows them.</para>
/// </example>
[Cmdlet(VerbsData.Checkpoint, "VM", SupportsShouldProcess = true, DefaultParameterSetName = NameSet)]
[OutputType(typeof(VMSnapshot))]
public sealed class CheckpointVMCommand : VmNameCmdlet
{
    /// <summary>The checkpoint's name; default "VM - (date - time)".</summary>
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
