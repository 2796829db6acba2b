using System.Management.Automation;
using HyperNest.PowerShell.Objects;

namespace HyperNest.PowerShell.Cmdlets;

/// <summary>
/// Disconnect-VMNetworkAdapter [-VMName] &lt;String[]&gt; [[-Name] &lt;String&gt;] | [-VMNetworkAdapter]
/// &lt;VMNetworkAdapter[]&gt; [-Passthru]. Without -Name, every adapter of the VM.
/// </summary>
[Cmdlet(VerbsCommunications.Disconnect, "VMNetworkAdapter", SupportsShouldProcess = true, DefaultParameterSetName = VMNameSet)]
[OutputType(typeof(VMNetworkAdapter))]
public sealed class DisconnectVMNetworkAdapterCommand : VmNetworkAdapterConnectionCmdlet
{
    protected override void ProcessRecord() =>
        ChangeAdapters("Disconnect from its virtual switch", (vm, adapter) => Adapter(Manager.DisconnectNetworkAdapter(vm.Id.ToString(), adapter), adapter));
}
