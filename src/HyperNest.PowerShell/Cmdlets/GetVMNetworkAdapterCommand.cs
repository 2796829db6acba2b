using System.Management.Automation;
using HyperNest.Management.Model;
using HyperNest.PowerShell.Objects;

namespace HyperNest.PowerShell.Cmdlets;

/// <summary>Get-VMNetworkAdapter [-VMName] &lt;String[]&gt; | [-VM] &lt;VirtualMachine[]&gt; | -All [-Name &lt;String&gt;].</summary>
[Cmdlet(VerbsCommon.Get, "VMNetworkAdapter", DefaultParameterSetName = VMNameSet)]
[OutputType(typeof(VMNetworkAdapter))]
public sealed class GetVMNetworkAdapterCommand : VmDeviceCmdlet
{
    public const string AllSet = "All";

    /// <summary>Every VM's adapters.</summary>
    [Parameter(ParameterSetName = AllSet, Mandatory = true)]
    public SwitchParameter All { get; set; }

    /// <summary>Only the adapters with this name (wildcards).</summary>
    [Parameter]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string? Name { get; set; }

    protected override void ProcessRecord()
    {
        IEnumerable<VmInfo> vms = ParameterSetName == AllSet ? Attempt("VM", () => Manager.GetVms().Vms) ?? [] : TargetVms();
        foreach (VmInfo vm in vms)
        {
            IReadOnlyList<VMNetworkAdapter> adapters = [.. VMNetworkAdapter.AllOf(vm, Manager)];
            WriteObject(Name is null ? adapters : NameMatch.Find(Name, adapters, a => a.Name), enumerateCollection: true);
        }
    }
}
