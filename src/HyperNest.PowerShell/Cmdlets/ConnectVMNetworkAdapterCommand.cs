using System.Management.Automation;
using HyperNest.PowerShell.Objects;

namespace HyperNest.PowerShell.Cmdlets;

/// <summary>
/// Connect-VMNetworkAdapter [-VMName] &lt;String[]&gt; [[-Name] &lt;String&gt;] [-SwitchName] &lt;String&gt; |
/// [-VMNetworkAdapter] &lt;VMNetworkAdapter[]&gt; [-SwitchName] &lt;String&gt; [-Passthru]. Without -Name, every adapter of
/// the VM. The switch must exist; on a running VM the connection takes effect at its next start.
/// </summary>
[Cmdlet(VerbsCommunications.Connect, "VMNetworkAdapter", SupportsShouldProcess = true, DefaultParameterSetName = VMNameSet)]
[OutputType(typeof(VMNetworkAdapter))]
public sealed class ConnectVMNetworkAdapterCommand : VmNetworkAdapterConnectionCmdlet
{
    [Parameter(ParameterSetName = VMNameSet, Mandatory = true, Position = 2)]
    [Parameter(ParameterSetName = VMObjectSet, Mandatory = true, Position = 2)]
    [Parameter(ParameterSetName = ResourceObjectSet, Mandatory = true, Position = 1)]
    [ValidateNotNullOrEmpty]
    public string SwitchName { get; set; } = string.Empty;

    protected override void ProcessRecord() =>
        ChangeAdapters($"Connect to virtual switch '{SwitchName}'", (vm, adapter) => Adapter(Manager.ConnectNetworkAdapter(vm.Id.ToString(), adapter, SwitchName), adapter));
}
