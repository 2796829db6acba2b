using System.Management.Automation;
using HyperNest.PowerShell.Objects;

namespace HyperNest.PowerShell.Cmdlets;

/// <summary>Disconnects a virtual network adapter from a virtual switch.</summary>
/// <remarks>
/// <para>Disconnects the adapters named on a VM (-Name; without it, every adapter of the VM), or the adapter objects
/// piped from Get-VMNetworkAdapter, from their switch. On a running VM it takes effect at once: the port leaves the
/// bridge and the guest sees its link down. The adapter stays in the VM.</para>
/// </remarks>
/// <example>
/// <code>Disconnect-VMNetworkAdapter -VMName web</code>
/// <para>Disconnects all of web's adapters.</para>
/// </example>
/// <example>
/// <code>Get-VMNetworkAdapter -VMName web -Name Backend | Disconnect-VMNetworkAdapter -Passthru</code>
/// <para>Disconnects web's Backend adapter and shows it.</para>
/// </example>
[Cmdlet(VerbsCommunications.Disconnect, "VMNetworkAdapter", SupportsShouldProcess = true, DefaultParameterSetName = VMNameSet)]
[OutputType(typeof(VMNetworkAdapter))]
public sealed class DisconnectVMNetworkAdapterCommand : VmNetworkAdapterConnectionCmdlet
{
    protected override void ProcessRecord() =>
        ChangeAdapters("Disconnect from its virtual switch", (vm, adapter) => Adapter(Manager.DisconnectNetworkAdapter(vm.Id.ToString(), adapter), adapter));
}
