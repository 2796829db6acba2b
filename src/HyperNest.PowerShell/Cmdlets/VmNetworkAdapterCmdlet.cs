using System.Management.Automation;
using HyperNest.Management.Model;
using HyperNest.PowerShell.Objects;

namespace HyperNest.PowerShell.Cmdlets;

/// <summary>
/// Set-VMNetworkAdapter and Remove-VMNetworkAdapter: the adapters named on VMs (-VMName or -VM, and -Name), or
/// adapter objects from Get-VMNetworkAdapter (-VMNetworkAdapter, from the pipeline).
/// </summary>
public abstract class VmNetworkAdapterCmdlet : VmSettingsCmdlet
{
    public const string ResourceObjectSet = "ResourceObject";

    /// <summary>
    /// Network adapter objects, as Get-VMNetworkAdapter writes them (also from the pipeline): exactly those adapters
    /// change.
    /// </summary>
    [Parameter(ParameterSetName = ResourceObjectSet, Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [ValidateNotNullOrEmpty]
    public VMNetworkAdapter[] VMNetworkAdapter { get; set; } = [];

    /// <summary>
    /// A piped VMNetworkAdapter's MAC address (bound by property name, hidden). Such an object can bind -VMName by its
    /// property as well, and PowerShell then takes the VMName set: this says which adapter was piped, so that only it
    /// changes, not every adapter of its VM.
    /// </summary>
    [Parameter(ParameterSetName = VMNameSet, ValueFromPipelineByPropertyName = true, DontShow = true)]
    [Alias("MacAddress")]
    public string? PipedMacAddress { get; set; }

    /// <summary>The adapter name (wildcards) given with -VMName or -VM; null means every adapter of the VM.</summary>
    protected abstract string? AdapterName { get; }

    /// <summary>
    /// Applies <paramref name="change"/> to each target adapter under ShouldProcess; with -Passthru writes the
    /// adapter it returns.
    /// </summary>
    protected void ChangeAdapters(string action, Func<VmInfo, string, VMNetworkAdapter> change)
    {
        foreach ((VmInfo vm, string adapter) in TargetAdapters())
        {
            if (ShouldProcess($"{vm.Name}: {adapter}", action) && Attempt(vm.Name, () => change(vm, adapter)) is { } result && Passthru)
            {
                WriteObject(result);
            }
        }
    }

    protected static VMNetworkAdapter Adapter(VmInfo vm, string name) => Objects.VMNetworkAdapter.AllOf(vm).First(a => a.Name == name);

    private IEnumerable<(VmInfo Vm, string Adapter)> TargetAdapters()
    {
        if (ParameterSetName == ResourceObjectSet)
        {
            foreach (VMNetworkAdapter adapter in VMNetworkAdapter)
            {
                foreach (VmInfo vm in FindVms([(adapter.VMId, adapter.VMName)]))
                {
                    foreach (string name in Matching(vm, adapter.Name))
                    {
                        yield return (vm, name);
                    }
                }
            }

            yield break;
        }

        foreach (VmInfo vm in TargetVms())
        {
            IEnumerable<string> all = vm.Configuration.NetworkAdapters
                .Where(a => PipedMacAddress is null || string.Equals(a.MacAddress, PipedMacAddress, StringComparison.OrdinalIgnoreCase))
                .Select(a => a.Name);
            foreach (string name in AdapterName is null ? all : Matching(vm, AdapterName))
            {
                yield return (vm, name);
            }
        }
    }

    private IEnumerable<string> Matching(VmInfo vm, string pattern)
    {
        string[] names = [.. NameMatch.Find(pattern, vm.Configuration.NetworkAdapters.Select(a => a.Name), n => n)];
        if (names.Length == 0 && !WildcardPattern.ContainsWildcardCharacters(pattern))
        {
            WriteError(ErrorRecords.AdapterNotFound(vm.Name, pattern));
        }

        return names;
    }
}
