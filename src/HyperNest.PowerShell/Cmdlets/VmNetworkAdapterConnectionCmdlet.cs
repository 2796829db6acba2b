using System.Management.Automation;

namespace HyperNest.PowerShell.Cmdlets;

/// <summary>
/// Connect-VMNetworkAdapter and Disconnect-VMNetworkAdapter: the adapters named on VMs ([[-Name]] at position 1,
/// every adapter without it), or adapter objects from the pipeline.
/// </summary>
public abstract class VmNetworkAdapterConnectionCmdlet : VmNetworkAdapterCmdlet
{
    /// <summary>
    /// The name of the network adapter on the VM (wildcards allowed); without it, every adapter of the VM.
    /// </summary>
    [Parameter(ParameterSetName = VMNameSet, Position = 1)]
    [Parameter(ParameterSetName = VMObjectSet, Position = 1)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(Completion.NetworkAdapterNameCompleter))]
    public string? Name { get; set; }

    protected override string? AdapterName => Name;
}
