using System.Management.Automation;
using HyperNest.Management.Model;
using HyperNest.PowerShell.Objects;

namespace HyperNest.PowerShell.Cmdlets;

/// <summary>Configures features of the virtual network adapter in a virtual machine.</summary>
/// <remarks>
/// <para>Changes the adapters named on a VM (-Name; without it, every adapter of the VM) or the adapter objects piped
/// from Get-VMNetworkAdapter. MAC address spoofing changes at once on a running VM, from the next frame: Off, the
/// default, drops every frame whose source MAC address is not the adapter's, as a Hyper-V switch port does; On lets a
/// guest that bridges its own VMs (nested virtualization) send their frames. The MAC address itself changes only while
/// the VM is Off.</para>
/// </remarks>
/// <example>
/// <code>Set-VMNetworkAdapter -VMName hv -MacAddressSpoofing On</code>
/// <para>Lets the VMs inside hv reach the network through hv's adapters.</para>
/// </example>
/// <example>
/// <code>Get-VMNetworkAdapter -VMName web -Name Backend | Set-VMNetworkAdapter -StaticMacAddress 00155D0A0B0C -Passthru</code>
/// <para>While web is Off: gives its Backend adapter a fixed address, and shows the adapter.</para>
/// </example>
[Cmdlet(VerbsCommon.Set, "VMNetworkAdapter", SupportsShouldProcess = true, DefaultParameterSetName = VMNameSet)]
[OutputType(typeof(VMNetworkAdapter))]
public sealed class SetVMNetworkAdapterCommand : VmNetworkAdapterCmdlet
{
    /// <summary>The name of the adapter on the VM (wildcards allowed); without it, every adapter of the VM.</summary>
    [Parameter(ParameterSetName = VMNameSet)]
    [Parameter(ParameterSetName = VMObjectSet)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(Completion.NetworkAdapterNameCompleter))]
    public string? Name { get; set; }

    /// <summary>On or Off: whether the guest may send frames from MAC addresses other than the adapter's.</summary>
    [Parameter]
    public OnOffState? MacAddressSpoofing { get; set; }

    /// <summary>A fixed MAC address: 12 hex digits, with or without separators (only while the VM is Off).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? StaticMacAddress { get; set; }

    /// <summary>Goes back to an address from the host's pool (only while the VM is Off).</summary>
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
