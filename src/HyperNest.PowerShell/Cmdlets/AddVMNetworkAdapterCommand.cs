using System.Management.Automation;
using HyperNest.Management.Model;
using HyperNest.PowerShell.Objects;

namespace HyperNest.PowerShell.Cmdlets;

/// <summary>Adds a virtual network adapter to a virtual machine.</summary>
/// <remarks>
/// <para>Adds a virtio-net adapter to a VM that is Off, connected to -SwitchName or to nothing. It gets a MAC address
/// from HyperNest's pool (00:15:5D:..., as Hyper-V's), or the one -StaticMacAddress gives. Adapter names are unique
/// within a VM; without -Name the adapter is named Network Adapter, Hyper-V's default.</para>
/// </remarks>
/// <example>
/// <code>Add-VMNetworkAdapter -VMName web -Name Backend -SwitchName Internal1</code>
/// <para>Adds an adapter named Backend to web, connected to the switch Internal1.</para>
/// </example>
/// <example>
/// <code>Add-VMNetworkAdapter web -Name Lab -StaticMacAddress 00155D010203</code>
/// <para>Adds an unconnected adapter with a fixed MAC address.</para>
/// </example>
[Cmdlet(VerbsCommon.Add, "VMNetworkAdapter", SupportsShouldProcess = true, DefaultParameterSetName = VMNameSet)]
[OutputType(typeof(VMNetworkAdapter))]
public sealed class AddVMNetworkAdapterCommand : VmSettingsCmdlet
{
    /// <summary>Hyper-V's name for an adapter added without one.</summary>
    public const string DefaultName = "Network Adapter";

    /// <summary>The new adapter's name, unique within the VM (default: Network Adapter).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = DefaultName;

    /// <summary>
    /// The virtual switch to connect the adapter to; it must exist. Without it the adapter is connected to nothing.
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(Completion.SwitchNameCompleter))]
    public string? SwitchName { get; set; }

    /// <summary>
    /// A fixed MAC address: 12 hex digits, with or without separators (00155D010203, 00-15-5D-01-02-03).
    /// </summary>
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
