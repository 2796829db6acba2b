using System.Management.Automation;
using HyperNest.PowerShell.Objects;

namespace HyperNest.PowerShell.Cmdlets;

/// <summary>
/// Remove-VMNetworkAdapter [-VMName] &lt;String[]&gt; | [-VM] &lt;VirtualMachine[]&gt; [-Name] &lt;String&gt; |
/// [-VMNetworkAdapter] &lt;VMNetworkAdapter[]&gt; [-Passthru]. The VM must be Off.
/// </summary>
[Cmdlet(VerbsCommon.Remove, "VMNetworkAdapter", SupportsShouldProcess = true, DefaultParameterSetName = VMNameSet)]
[OutputType(typeof(VMNetworkAdapter))]
public sealed class RemoveVMNetworkAdapterCommand : VmNetworkAdapterCmdlet
{
    // By property name too: with an adapter piped in, pwsh must not ask for -Name before it binds the adapter.
    [Parameter(ParameterSetName = VMNameSet, Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [Parameter(ParameterSetName = VMObjectSet, Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = string.Empty;

    protected override string? AdapterName => Name;

    protected override void ProcessRecord()
    {
        ChangeAdapters("Remove network adapter", (vm, adapter) =>
        {
            VMNetworkAdapter removed = Adapter(vm, adapter);
            Manager.RemoveNetworkAdapter(vm.Id.ToString(), adapter);
            return removed;
        });
    }
}
