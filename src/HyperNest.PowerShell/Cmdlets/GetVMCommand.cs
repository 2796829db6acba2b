using System.Management.Automation;
using HyperNest.Management.Model;
using HyperNest.PowerShell.Objects;

namespace HyperNest.PowerShell.Cmdlets;

/// <summary>Gets the virtual machines in the HyperNest store.</summary>
/// <remarks>
/// <para>Writes a VirtualMachine object for every VM, or those named (wildcards) or given by id: its State (Off,
/// Running, Paused, Saved, Starting, Stopping), processors, memory (MemoryAssigned, MemoryDemand and MemoryStatus while
/// it runs), uptime, its Accelerator setting and the RunningAccelerator its run chose. A VM the store cannot read is an
/// error, and the others are still listed; an exact name with no VM is an ObjectNotFound error.</para>
/// <para>The store is $env:HYPERNEST_HOME, else /var/lib/hypernest for root, else the user's own (see about_HyperNest);
/// the hnest command line shows the same VMs (hnest vm list).</para>
/// </remarks>
/// <example>
/// <code>Get-VM</code>
/// <para>Lists every VM in a table: Name, State, CPUUsage, MemoryAssigned, Uptime, Status, Version.</para>
/// </example>
/// <example>
/// <code>Get-VM web* | Format-List Name, State, Accelerator, RunningAccelerator</code>
/// <para>Shows where each VM whose name begins with web runs.</para>
/// </example>
/// <example>
/// <code>Get-VM | Where-Object State -eq Running | Stop-VM</code>
/// <para>Shuts down every running VM.</para>
/// </example>
[Cmdlet(VerbsCommon.Get, "VM", DefaultParameterSetName = NameSet)]
[OutputType(typeof(VirtualMachine))]
public sealed class GetVMCommand : HyperNestCmdlet
{
    public const string NameSet = "Name";

    public const string IdSet = "Id";

    /// <summary>The names of the VMs (wildcards allowed); without it, every VM. Also taken from the pipeline.</summary>
    [Parameter(ParameterSetName = NameSet, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("VMName")]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(Completion.VmNameCompleter))]
    public string[]? Name { get; set; }

    /// <summary>The VMs' ids.</summary>
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
