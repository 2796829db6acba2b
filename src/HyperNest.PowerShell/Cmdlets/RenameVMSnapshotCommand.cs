using System.Management.Automation;
using HyperNest.Management.Checkpoints;
using HyperNest.PowerShell.Objects;

namespace HyperNest.PowerShell.Cmdlets;

/// <summary>
/// Rename-VMSnapshot (alias Rename-VMCheckpoint) [-Name] &lt;String&gt; [-VMName] &lt;String&gt; | [-VMSnapshot]
/// &lt;VMSnapshot&gt; | [-VM] &lt;VirtualMachine&gt; [-Name] &lt;String&gt;, then [-NewName] &lt;String&gt; [-Passthru].
/// </summary>
[Cmdlet(VerbsCommon.Rename, "VMSnapshot", SupportsShouldProcess = true, DefaultParameterSetName = SnapshotNameSet)]
[Alias("Rename-VMCheckpoint")]
[OutputType(typeof(VMSnapshot))]
public sealed class RenameVMSnapshotCommand : VmOneSnapshotCmdlet
{
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
