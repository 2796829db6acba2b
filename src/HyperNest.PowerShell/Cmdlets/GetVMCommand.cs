using System.Management.Automation;
using HyperNest.Management.Model;
using HyperNest.PowerShell.Objects;

namespace HyperNest.PowerShell.Cmdlets;

/// <summary>Get-VM [[-Name] &lt;String[]&gt;] | -Id &lt;Guid[]&gt;: every VM, or those named (wildcards).</summary>
[Cmdlet(VerbsCommon.Get, "VM", DefaultParameterSetName = NameSet)]
[OutputType(typeof(VirtualMachine))]
public sealed class GetVMCommand : HyperNestCmdlet
{
    public const string NameSet = "Name";

    public const string IdSet = "Id";

    [Parameter(ParameterSetName = NameSet, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("VMName")]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Name { get; set; }

    [Parameter(ParameterSetName = IdSet, Mandatory = true)]
    [Alias("VMId")]
    public Guid[] Id { get; set; } = [];

    protected override void ProcessRecord()
    {
        IEnumerable<VmInfo> vms = ParameterSetName == IdSet ? FindVms(Id.Select(id => id.ToString()))
            : Name is null ? All()
            : FindVms(Name);
        foreach (VmInfo vm in vms)
        {
            WriteObject(ToObject(vm));
        }
    }

    private IReadOnlyList<VmInfo> All() => ListAll("VM", () =>
    {
        VmListResult result = Manager.GetVms();
        return (result.Vms, result.Problems);
    });
}
