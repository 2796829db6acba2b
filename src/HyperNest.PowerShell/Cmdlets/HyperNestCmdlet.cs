using System.Management.Automation;
using System.Reflection;
using HyperNest.Management;
using HyperNest.Management.Lifecycle;
using HyperNest.Management.Model;
using HyperNest.Management.Networking;
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
    private VmStore? _store;
    private VmManager? _manager;
    private SwitchManager? _switches;

    protected VmManager Manager => _manager ??= new VmManager(Store, new WorkerLauncher(HnestBinary.Locate() ?? "hnest", []));

    /// <summary>The virtual switches, on this host's network (iproute2).</summary>
    protected SwitchManager Switches => _switches ??= new SwitchManager(Store, new IpRoute2Network());

    /// <summary>The default store; its first use tightens it when it is open wider than its access model (a warning says so).</summary>
    private VmStore Store
    {
        get
        {
            if (_store is null)
            {
                _store = VmStore.OpenDefault();
                if (_store.Tighten() is { } tightened)
                {
                    WriteWarning(tightened);
                }
            }

            return _store;
        }
    }

    protected VirtualMachine ToObject(VmInfo vm) => VirtualMachine.From(vm, Manager.Store.Folder(vm.Id).Path);

    /// <summary>The VMs named (wildcards allowed); an exact name with no VM is an ObjectNotFound error.</summary>
    protected IEnumerable<VmInfo> FindVms(IEnumerable<string> names) =>
        FindByName(names, () => Manager.GetVms().Vms, Manager.GetVm, vm => vm.Name, vm => vm.Id);

    /// <summary>
    /// What <paramref name="names"/> name: a name with wildcard characters is one of <paramref name="all"/> literally,
    /// else a wildcard over their names (ignoring case, <see cref="NameMatch"/>); an exact name is looked up with
    /// <paramref name="one"/>, whose failure is a non-terminating error; each thing once.
    /// </summary>
    protected IEnumerable<T> FindByName<T>(IEnumerable<string> names, Func<IReadOnlyList<T>> all, Func<string, T> one, Func<T, string> nameOf, Func<T, Guid> idOf)
        where T : class
    {
        IReadOnlyList<T>? every = null;
        var seen = new HashSet<Guid>();
        foreach (string name in names)
        {
            if (WildcardPattern.ContainsWildcardCharacters(name))
            {
                // Literally first: "web[1]" is the VM of that name when there is one (NameMatch).
                every ??= Attempt(name, all) ?? [];
                foreach (T item in NameMatch.Find(name, every, nameOf).Where(i => seen.Add(idOf(i))))
                {
                    yield return item;
                }
            }
            else if (Attempt(name, () => one(name)) is { } item && seen.Add(idOf(item)))
            {
                yield return item;
            }
        }
    }

    /// <summary>
    /// Everything a Get- cmdlet without names lists; each unreadable record of the store becomes a non-terminating
    /// error, and the others are still listed.
    /// </summary>
    protected IReadOnlyList<T> ListAll<T>(string target, Func<(IReadOnlyList<T> Items, IReadOnlyList<StoreProblem> Problems)> list)
    {
        try
        {
            (IReadOnlyList<T> items, IReadOnlyList<StoreProblem> problems) = list();
            foreach (StoreProblem problem in problems)
            {
                WriteError(ErrorRecords.From(new VmStoreException(problem.Message), problem.Id));
            }

            return items;
        }
        catch (Exception ex) when (ErrorRecords.IsExpected(ex))
        {
            WriteError(ErrorRecords.From(ex, target));
            return [];
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

    /// <summary>A warning for each disk whose size is not a whole number of 512-byte sectors (the guest cannot reach the tail).</summary>
    protected void WriteTailWarnings(IEnumerable<string> disks)
    {
        foreach (string disk in disks)
        {
            if (Management.Disks.VhdManager.UnreachableTailWarning(disk) is { } warning)
            {
                WriteWarning(warning);
            }
        }
    }

    private bool? BoundSwitch(string name) =>
        MyInvocation.BoundParameters.TryGetValue(name, out object? value) ? LanguagePrimitives.IsTrue(value) : null;
}
