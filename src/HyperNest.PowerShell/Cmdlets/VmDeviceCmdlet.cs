using System.Management.Automation;
using HyperNest.Management.Model;
using HyperNest.PowerShell.Objects;

namespace HyperNest.PowerShell.Cmdlets;

/// <summary>
/// The targets of the device and settings cmdlets (Get/Set-VMProcessor, Get/Set-VMMemory, the adapter and disk
/// cmdlets) as Hyper-V takes them: -VMName (position 0, by property name from the pipeline) or -VM (objects from Get-VM).
/// </summary>
public abstract class VmDeviceCmdlet : HyperNestCmdlet
{
    public const string VMNameSet = "VMName";

    public const string VMObjectSet = "VMObject";

    /// <summary>
    /// The names of the VMs (wildcards allowed); also taken from the pipeline from objects with a VMName property.
    /// </summary>
    [Parameter(ParameterSetName = VMNameSet, Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(Completion.VmNameCompleter))]
    [SupportsWildcards]
    public string[] VMName { get; set; } = [];

    /// <summary>
    /// VM objects, as Get-VM writes them (also from the pipeline); each is read again by its id, so its present state
    /// counts.
    /// </summary>
    [Parameter(ParameterSetName = VMObjectSet, Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [ValidateNotNullOrEmpty]
    public VirtualMachine[] VM { get; set; } = [];

    /// <summary>
    /// The VMs (id, name) of the device objects a cmdlet was given by value (Set-VMProcessor -VMProcessor, Set-VMMemory
    /// -VMMemory, from Get-VMProcessor and Get-VMMemory); null when it was given -VMName or -VM.
    /// </summary>
    protected virtual IEnumerable<(Guid Id, string Name)>? DeviceVms => null;

    protected IEnumerable<VmInfo> TargetVms() =>
        DeviceVms is { } devices ? FindVms(devices) : ParameterSetName == VMObjectSet ? FindVms(VM) : FindVms(VMName);

    /// <summary>Writes what <paramref name="select"/> gives for each target VM (its devices, one by one).</summary>
    protected void WriteForEachVm(Func<VmInfo, object> select)
    {
        foreach (VmInfo vm in TargetVms())
        {
            WriteObject(select(vm), enumerateCollection: true);
        }
    }
}
