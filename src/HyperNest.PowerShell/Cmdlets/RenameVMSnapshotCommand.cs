using System.Management.Automation;
using HyperNest.Management.Checkpoints;
using HyperNest.PowerShell.Objects;

namespace HyperNest.PowerShell.Cmdlets;

/// <summary>Renames a virtual machine checkpoint.</summary>
/// <remarks>
/// <para>Gives a checkpoint a new name; names need not be unique, so a name that several checkpoints share renames them
/// all, as Hyper-V does. Also known by its alias, Rename-VMCheckpoint.</para>
/// </remarks>
/// <example>
/// <code>Rename-VMSnapshot -VMName web -Name BeforeUpdate -NewName Baseline</code>
/// <para>Renames web's checkpoint BeforeUpdate to Baseline.</para>
/// </example>
[Cmdlet(VerbsCommon.Rename, "VMSnapshot", SupportsShouldProcess = true, DefaultParameterSetName = SnapshotNameSet)]
[Alias("Rename-VMCheckpoint")]
[OutputType(typeof(VMSnapshot))]
public sealed class RenameVMSnapshotCommand : VmOneSnapshotCmdlet
{
    /// <summary>The checkpoint's new name.</summary>
    [Parameter(Mandatory = true, Position = 2)]
    [ValidateNotNullOrEmpty]
    public string NewName { get; set; } = "";

    protected override void ProcessRecord()
    {
        (string vm, string checkpoint, string shown) = Target();
        if (ShouldProcess(shown, $"Rename checkpoint to \"{NewName}\"")
            && Attempt(shown, () => Manager.RenameCheckpoint(vm, checkpoint, NewName)) is { } renamed && Passthru)
        {
            foreach (CheckpointInfo one in renamed)
            {
                WriteSnapshot(one);
            }
        }
    }
}
