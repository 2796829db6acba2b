using System.Management.Automation;
using HyperNest.PowerShell.Objects;

namespace HyperNest.PowerShell.Cmdlets;

/// <summary>Removes one or more virtual network adapters from a virtual machine.</summary>
/// <remarks>
/// <para>Removes the adapters named on a VM, or the adapter objects piped from Get-VMNetworkAdapter. The VM must be
/// Off.</para>
/// </remarks>
/// <example>
/// <code>Remove-VMNetworkAdapter -VMName web -Name Backend</code>
/// <para>Removes web's adapter named Backend.</para>
/// </example>
/// <example>
/// <code>Get-VMNetworkAdapter -VMName web | Where-Object SwitchName -eq $null | Remove-VMNetworkAdapter</code>
/// <para>Removes web's adapters that are connected to no switch.</para>
/// </example>
[Cmdlet(VerbsCommon.Remove, "VMNetworkAdapter", SupportsShouldProcess = true, DefaultParameterSetName = VMNameSet)]
[OutputType(typeof(VMNetworkAdapter))]
public sealed class RemoveVMNetworkAdapterCommand : VmNetworkAdapterCmdlet
{
    // By property name too: with an adapter piped in, pwsh must not ask for -Name before it binds the adapter.
    /// <summary>The name of the adapter to remove (wildcards allowed).</summary>
    [Parameter(ParameterSetName = VMNameSet, Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [Parameter(ParameterSetName = VMObjectSet, Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(Completion.NetworkAdapterNameCompleter))]
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
