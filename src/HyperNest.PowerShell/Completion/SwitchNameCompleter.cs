using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using HyperNest.Management.Networking;
using HyperNest.Management.Store;

namespace HyperNest.PowerShell.Completion;

/// <summary>Completes the names of the virtual switches (-SwitchName, -Name of the VMSwitch cmdlets) from their records.</summary>
public sealed class SwitchNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(
        string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters) =>
        CompletionNames.Matching(CompletionNames.Read(() => new SwitchStore(VmStore.OpenDefault()).List().Switches.Select(s => s.Name)), wordToComplete);
}
