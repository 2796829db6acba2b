using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using HyperNest.Management.Model;
using HyperNest.Management.Store;
using HyperNest.PowerShell.Cmdlets;
using HyperNest.PowerShell.Objects;

namespace HyperNest.PowerShell.Completion;

/// <summary>
/// Completes network adapter names (-Name of the VMNetworkAdapter cmdlets): the adapters of the VMs already given with
/// -VMName (names or wildcards) or -VM, else of every VM.
/// </summary>
public sealed class NetworkAdapterNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(
        string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters) =>
        CompletionNames.Matching(CompletionNames.Read(() => Adapters(fakeBoundParameters)), wordToComplete);

    private static IEnumerable<string> Adapters(IDictionary bound)
    {
        IReadOnlyList<VmConfiguration> vms = VmStore.OpenDefault().List().Vms;
        IEnumerable<VmConfiguration> chosen = bound["VM"] is { } objects ? vms.Where(vm => Values(objects).OfType<VirtualMachine>().Any(o => o.Id == vm.Id))
            : bound["VMName"] is { } names ? Values(names).Select(n => n?.ToString() ?? string.Empty).SelectMany(n => NameMatch.Find(n, vms, vm => vm.Name))
            : vms;
        return chosen.SelectMany(vm => vm.NetworkAdapters.Select(a => a.Name));
    }

    /// <summary>A bound value as its items: one value or an array, PSObject wrappers taken off.</summary>
    private static IEnumerable<object?> Values(object value) =>
        (value is PSObject { BaseObject: var inner } ? inner : value) switch
        {
            string one => [one],
            IEnumerable many => many.Cast<object?>().Select(v => v is PSObject p ? p.BaseObject : v),
            var one => [one],
        };
}
