using System.Management.Automation;
using HyperNest.PowerShell.Objects;

namespace HyperNest.PowerShell.Cmdlets;

/// <summary>Connects a virtual network adapter to a virtual switch.</summary>
/// <remarks>
/// <para>Connects the adapters named on a VM (-Name; without it, every adapter of the VM), or the adapter objects piped
/// from Get-VMNetworkAdapter, to a switch that exists. On a running VM it takes effect at once: the adapter's port
/// moves to the switch's bridge and the guest sees its link up.</para>
/// </remarks>
/// <example>
/// <code>Connect-VMNetworkAdapter -VMName web -Name Backend -SwitchName Internal1</code>
/// <para>Connects web's Backend adapter to the switch Internal1.</para>
/// </example>
/// <example>
/// <code>Get-VMNetworkAdapter -All | Where-Object SwitchName -eq $null | Connect-VMNetworkAdapter -SwitchName Lab</code>
/// <para>Connects every unconnected adapter to the switch Lab.</para>
/// </example>
[Cmdlet(VerbsCommunications.Connect, "VMNetworkAdapter", SupportsShouldProcess = true, DefaultParameterSetName = VMNameSet)]
[OutputType(typeof(VMNetworkAdapter))]
public sealed class ConnectVMNetworkAdapterCommand : VmNetworkAdapterConnectionCmdlet
{
    /// <summary>The virtual switch to connect to; it must exist.</summary>
    [Parameter(ParameterSetName = VMNameSet, Mandatory = true, Position = 2)]
    [Parameter(ParameterSetName = VMObjectSet, Mandatory = true, Position = 2)]
    [Parameter(ParameterSetName = ResourceObjectSet, Mandatory = true, Position = 1)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(Completion.SwitchNameCompleter))]
    public string SwitchName { get; set; } = string.Empty;

    protected override void ProcessRecord() =>
        ChangeAdapters($"Connect to virtual switch '{SwitchName}'", (vm, adapter) => Adapter(Manager.ConnectNetworkAdapter(vm.Id.ToString(), adapter, SwitchName), adapter));
}
