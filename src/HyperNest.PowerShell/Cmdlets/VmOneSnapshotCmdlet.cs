using System.Management.Automation;
using HyperNest.PowerShell.Objects;

namespace HyperNest.PowerShell.Cmdlets;

/// <summary>
/// The target of Restore-VMSnapshot and Rename-VMSnapshot as Hyper-V takes it: [-Name] and [-VMName], a [-VMSnapshot]
/// object, or [-VM] and [-Name]; with -Passthru.
/// </summary>
public abstract class VmOneSnapshotCmdlet : VmSnapshotCmdlet
{
    /// <summary>The checkpoint's name, or its id. With -VMName, the checkpoint of that name on that VM.</summary>
    [Parameter(ParameterSetName = SnapshotNameSet, Mandatory = true, Position = 0)]
    [Parameter(ParameterSetName = VMObjectSet, Mandatory = true, Position = 1)]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = "";

    /// <summary>The name of the VM whose checkpoint it is.</summary>
    [Parameter(ParameterSetName = SnapshotNameSet, Mandatory = true, Position = 1)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(Completion.VmNameCompleter))]
    public string VMName { get; set; } = "";

    /// <summary>A checkpoint object, as Get-VMSnapshot writes it (also from the pipeline).</summary>
    [Parameter(ParameterSetName = SnapshotObjectSet, Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [ValidateNotNull]
    public VMSnapshot? VMSnapshot { get; set; }

    /// <summary>
    /// The VM whose checkpoint it is, as Get-VM writes it (also from the pipeline); -Name says which checkpoint.
    /// </summary>
    [Parameter(ParameterSetName = VMObjectSet, Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [ValidateNotNull]
    public VirtualMachine? VM { get; set; }

    /// <summary>Writes the checkpoint, as the cmdlet left it, to the pipeline.</summary>
    [Parameter]
    public SwitchParameter Passthru { get; set; }

    /// <summary>The VM (id or name), the checkpoint (id or name) and how to name it to the user.</summary>
    protected (string Vm, string Checkpoint, string Shown) Target() => ParameterSetName switch
    {
        SnapshotObjectSet => (VMSnapshot!.VMId.ToString(), VMSnapshot.Id.ToString(), VMSnapshot.Name),
        VMObjectSet => (VM!.Id.ToString(), Name, Name),
        _ => (VMName, Name, Name),
    };
}
