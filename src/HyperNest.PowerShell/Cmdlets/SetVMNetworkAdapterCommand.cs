using System.Management.Automation;
using HyperNest.Management.Model;
using HyperNest.PowerShell.Objects;

namespace HyperNest.PowerShell.Cmdlets;

/// <summary>
/// Set-VMNetworkAdapter [-VMName] &lt;String[]&gt; | [-VM] &lt;VirtualMachine[]&gt; [-Name &lt;String&gt;] |
/// [-VMNetworkAdapter] &lt;VMNetworkAdapter[]&gt; [-MacAddressSpoofing On|Off] [-StaticMacAddress &lt;String&gt; |
/// -DynamicMacAddress] [-Passthru]. Without -Name, every adapter of the VM. The MAC address changes only while the VM is Off.
/// </summary>
[Cmdlet(VerbsCommon.Set, "VMNetworkAdapter", SupportsShouldProcess = true, DefaultParameterSetName = VMNameSet)]
[OutputType(typeof(VMNetworkAdapter))]
public sealed class SetVMNetworkAdapterCommand : VmNetworkAdapterCmdlet
{
    [Parameter(ParameterSetName = VMNameSet)]
    [Parameter(ParameterSetName = VMObjectSet)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string? Name { get; set; }

    [Parameter]
    public OnOffState? MacAddressSpoofing { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? StaticMacAddress { get; set; }

    [Parameter]
    public SwitchParameter DynamicMacAddress { get; set; }

    protected override string? AdapterName => Name;

    protected override void ProcessRecord()
    {
        var changes = new NetworkAdapterChanges
        {
            MacAddressSpoofing = MacAddressSpoofing is { } spoofing ? spoofing == OnOffState.On : null,
            StaticMacAddress = StaticMacAddress,
            DynamicMacAddress = DynamicMacAddress,
        };
        ChangeAdapters("Set network adapter", (vm, adapter) => Adapter(Manager.SetNetworkAdapter(vm.Id.ToString(), adapter, changes), adapter));
    }
}
