using System.Management.Automation;
using System.Reflection;
using HyperNest.Management;
using HyperNest.Management.Lifecycle;
using HyperNest.Management.Model;
using HyperNest.Management.Store;
using HyperNest.Management.Worker;
using HyperNest.PowerShell.Objects;

namespace HyperNest.PowerShell.Cmdlets;

/// <summary>
/// What every HyperNest cmdlet shares: the management library (opened on first use, for $HYPERNEST_HOME as it is
/// then), finding VMs by name (wildcards) or by object, and reporting failures per VM as non-terminating errors so a
/// pipeline of several VMs goes on.
/// </summary>
public abstract class HyperNestCmdlet : PSCmdlet
{
    private VmManager? _manager;

    protected VmManager Manager => _manager ??= new VmManager(VmStore.OpenDefault(), new WorkerLauncher(HnestBinary.Locate() ?? "hnest", []));

    protected VirtualMachine ToObject(VmInfo vm) => VirtualMachine.From(vm, Manager.Store.Folder(vm.Id).Path);

    /// <summary>The VMs named (wildcards allowed); an exact name with no VM is an ObjectNotFound error.</summary>
    protected IEnumerable<VmInfo> FindVms(IEnumerable<string> names)
    {
        IReadOnlyList<VmInfo>? all = null;
        var seen = new HashSet<Guid>();
        foreach (string name in names)
        {
            if (WildcardPattern.ContainsWildcardCharacters(name))
            {
                var pattern = WildcardPattern.Get(name, WildcardOptions.IgnoreCase);
                all ??= Attempt(name, () => Manager.GetVms().Vms) ?? [];
                foreach (VmInfo vm in all.Where(v => pattern.IsMatch(v.Name) && seen.Add(v.Id)))
                {
                    yield return vm;
                }
            }
            else if (Attempt(name, () => Manager.GetVm(name)) is { } vm && seen.Add(vm.Id))
            {
                yield return vm;
            }
        }
    }

    /// <summary>The VMs behind objects from Get-VM, read again (by id) for their current state.</summary>
    protected IEnumerable<VmInfo> FindVms(IEnumerable<VirtualMachine> vms) => FindVms(vms.Select(vm => (vm.Id, vm.Name)));

    /// <summary>VMs by id (named in the error when one is gone).</summary>
    protected IEnumerable<VmInfo> FindVms(IEnumerable<(Guid Id, string Name)> vms)
    {
        foreach ((Guid id, string name) in vms)
        {
            VmInfo? current = null;
            try
            {
                current = Manager.GetVm(id.ToString());
            }
            catch (VmNotFoundException ex)
            {
                WriteError(ErrorRecords.VmNotFound(name, ex));
            }

            if (current is not null)
            {
                yield return current;
            }
        }
    }

    /// <summary>Runs a library call; an expected failure becomes a non-terminating error about <paramref name="target"/>.</summary>
    protected T? Attempt<T>(object target, Func<T> action)
        where T : class
    {
        try
        {
            return action();
        }
        catch (Exception ex) when (ErrorRecords.IsExpected(ex))
        {
            WriteError(ErrorRecords.From(ex, target));
            return null;
        }
    }

    protected bool Attempt(object target, Action action) => Attempt(target, () =>
    {
        action();
        return target;
    }) is not null;

    /// <summary>
    /// ShouldProcess for an operation of high impact (Remove-VM, Stop-VM -TurnOff): it asks under the default
    /// $ConfirmPreference even when the cmdlet as a whole is of lower impact; -Force (or -Confirm:$false) skips the
    /// question, -WhatIf still only reports.
    /// </summary>
    protected bool ShouldProcessHighImpact(string target, string action, bool force)
    {
        bool? confirm = BoundSwitch("Confirm");
        bool whatIf = BoundSwitch("WhatIf") ?? LanguagePrimitives.IsTrue(GetVariableValue("WhatIfPreference"));
        if (force && confirm is null && !whatIf)
        {
            return true;
        }

        if (!ShouldProcess(target, action))
        {
            return false;
        }

        ConfirmImpact preference = GetVariableValue("ConfirmPreference") is ConfirmImpact set ? set : ConfirmImpact.High;
        ConfirmImpact declared = GetType().GetCustomAttribute<CmdletAttribute>()?.ConfirmImpact ?? ConfirmImpact.Medium;
        bool askedAlready = confirm is not null || preference == ConfirmImpact.None || declared >= preference;
        return askedAlready || force || ShouldContinue($"{action} \"{target}\"?", "Confirm");
    }

    protected void WriteWarnings(VmActionResult? result)
    {
        if (result?.Warning is { } warning)
        {
            WriteWarning(warning);
        }
    }

    private bool? BoundSwitch(string name) =>
        MyInvocation.BoundParameters.TryGetValue(name, out object? value) ? LanguagePrimitives.IsTrue(value) : null;
}
