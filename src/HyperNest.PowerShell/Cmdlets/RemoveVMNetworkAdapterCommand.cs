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
    [Parameter(ParameterSetName = VMNameSet, Mandatory = true, Position = 1)]
    [Parameter(ParameterSetName = VMObjectSet, Mandatory = true, Position = 1)]
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
