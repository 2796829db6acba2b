using System.Management.Automation;
using HyperNest.Management.Model;
using HyperNest.PowerShell.Objects;

namespace HyperNest.PowerShell.Cmdlets;

/// <summary>
/// Add-VMNetworkAdapter [-VMName] &lt;String[]&gt; | [-VM] &lt;VirtualMachine[]&gt; [-Name &lt;String&gt;] [-SwitchName &lt;String&gt;]
/// [-StaticMacAddress &lt;String&gt; | -DynamicMacAddress] [-Passthru]. The VM must be Off.
/// </summary>
[Cmdlet(VerbsCommon.Add, "VMNetworkAdapter", SupportsShouldProcess = true, DefaultParameterSetName = VMNameSet)]
[OutputType(typeof(VMNetworkAdapter))]
public sealed class AddVMNetworkAdapterCommand : VmSettingsCmdlet
{
    /// <summary>Hyper-V's name for an adapter added without one.</summary>
    public const string DefaultName = "Network Adapter";

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = DefaultName;

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? SwitchName { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? StaticMacAddress { get; set; }

    /// <summary>An address from the host's pool (the default).</summary>
    [Parameter]
    public SwitchParameter DynamicMacAddress { get; set; }

    protected override void ProcessRecord()
    {
        var settings = new NetworkAdapterChanges { StaticMacAddress = StaticMacAddress, DynamicMacAddress = DynamicMacAddress, SwitchName = SwitchName };
        ChangeSettings($"Add network adapter '{Name}'", vm => Manager.AddNetworkAdapter(vm.Id.ToString(), Name, settings), vm => VMNetworkAdapter.AllOf(vm)[^1]);
    }
}
