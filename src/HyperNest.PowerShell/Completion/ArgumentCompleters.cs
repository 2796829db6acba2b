using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Reflection;

namespace HyperNest.PowerShell.Completion;

/// <summary>
/// Registers the completers when the module is imported, by the parameters' names, for every parameter of the module
/// that has no [ArgumentCompleter] of its own (New-VM's -SwitchName, cmdlets added later): -VMName (and
/// Enable-NestedVm's -VmName) completes VM names, -SwitchName switch names, and -Name the VM, switch or network
/// adapter names of the VM, VMSwitch and VMNetworkAdapter cmdlets, except where it names something new (New-, Add-).
/// A registration serves from the second completion of a session on: the Tab that auto-loads the module has already
/// looked for completers. The attribute serves from the first, which is why the cmdlets carry it.
/// </summary>
public sealed class ArgumentCompleters : IModuleAssemblyInitializer
{
    public void OnImport()
    {
        var registrations = Registrations(typeof(ArgumentCompleters).Assembly)
            .GroupBy(r => (r.Parameter, r.Completer), r => r.Command);
        if (Runspace.DefaultRunspace is null)
        {
            // Imported by a host with no runspace on this thread: nothing to register completers in.
            return;
        }

        using var powerShell = System.Management.Automation.PowerShell.Create(RunspaceMode.CurrentRunspace);
        foreach (var registration in registrations)
        {
            (string parameter, Type completer) = registration.Key;
            powerShell.AddCommand(@"Microsoft.PowerShell.Core\Register-ArgumentCompleter")
                .AddParameter("CommandName", registration.ToArray())
                .AddParameter("ParameterName", parameter)
                .AddParameter("ScriptBlock", ScriptBlock.Create(
                    $"param($command, $parameter, $word, $ast, $bound) [{completer.FullName}]::new().CompleteArgument($command, $parameter, $word, $ast, $bound)"));
            powerShell.AddStatement();
        }

        powerShell.Invoke();
    }

    /// <summary>Which cmdlet's parameter takes which completer.</summary>
    public static IEnumerable<(string Command, string Parameter, Type Completer)> Registrations(Assembly module) =>
        from type in module.GetExportedTypes()
        let cmdlet = type.GetCustomAttribute<CmdletAttribute>()
        where cmdlet is not null && !type.IsAbstract
        from property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
        where property.GetCustomAttributes<ParameterAttribute>().Any(p => !p.DontShow) && property.GetCustomAttribute<ArgumentCompleterAttribute>() is null
        let completer = CompleterFor(cmdlet.VerbName, cmdlet.NounName, property.Name)
        where completer is not null
        select ($"{cmdlet.VerbName}-{cmdlet.NounName}", property.Name, completer);

    private static Type? CompleterFor(string verb, string noun, string parameter) => parameter switch
    {
        "VMName" or "VmName" => typeof(VmNameCompleter),
        "SwitchName" => typeof(SwitchNameCompleter),
        "Name" when verb is not (VerbsCommon.New or VerbsCommon.Add) => noun switch
        {
            "VM" => typeof(VmNameCompleter),
            "VMSwitch" => typeof(SwitchNameCompleter),
            "VMNetworkAdapter" => typeof(NetworkAdapterNameCompleter),
            _ => null,
        },
        _ => null,
    };
}
