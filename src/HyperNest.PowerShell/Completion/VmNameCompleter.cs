using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using HyperNest.Management.Store;

namespace HyperNest.PowerShell.Completion;

/// <summary>Completes the names of the VMs in the store (-Name of the VM cmdlets, -VMName).</summary>
public sealed class VmNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(
        string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters) =>
        CompletionNames.Matching(CompletionNames.Read(() => VmStore.OpenDefault().List().Vms.Select(vm => vm.Name)), wordToComplete);
}
