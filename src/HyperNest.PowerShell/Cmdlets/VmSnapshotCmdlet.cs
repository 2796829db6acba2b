using System.Management.Automation;
using HyperNest.Management.Checkpoints;
using HyperNest.Management.Model;
using HyperNest.PowerShell.Objects;

namespace HyperNest.PowerShell.Cmdlets;

/// <summary>
/// What the checkpoint cmdlets share: their checkpoints by VM and name (wildcards; an exact name that matches nothing
/// is an ObjectNotFound error), by VMSnapshot object, and each by id when it is acted on, since names need not be
/// unique (Hyper-V's rule: a name picks every checkpoint that has it).
/// </summary>
public abstract class VmSnapshotCmdlet : HyperNestCmdlet
{
    public const string SnapshotNameSet = "SnapshotName";

    public const string SnapshotObjectSet = "SnapshotObject";

    public const string VMObjectSet = "VM";

    /// <summary>The checkpoints of <paramref name="vms"/> whose names match <paramref name="names"/> (all of them when null).</summary>
    protected IEnumerable<CheckpointInfo> Find(IEnumerable<VmInfo> vms, IReadOnlyList<string>? names)
    {
        foreach (VmInfo vm in vms)
        {
            IReadOnlyList<CheckpointInfo>? all = Attempt(vm.Name, () => Manager.GetCheckpoints(vm.Id.ToString()));
            if (all is null)
            {
                continue;
            }

            if (names is null)
            {
                foreach (CheckpointInfo checkpoint in all)
                {
                    yield return checkpoint;
                }

                continue;
            }

            var seen = new HashSet<Guid>();
            foreach (string name in names)
            {
                List<CheckpointInfo> matches = [.. all.Where(c => c.Id.ToString() == name).Concat(NameMatch.Find(name, all, c => c.Name))];
                if (matches.Count == 0 && !WildcardPattern.ContainsWildcardCharacters(name))
                {
                    WriteError(ErrorRecords.From(new CheckpointNotFoundException(vm.Name, name), name));
                }

                foreach (CheckpointInfo checkpoint in matches.Where(c => seen.Add(c.Id)))
                {
                    yield return checkpoint;
                }
            }
        }
    }

    /// <summary>The checkpoints behind VMSnapshot objects, read again by id.</summary>
    protected IEnumerable<CheckpointInfo> Find(IEnumerable<VMSnapshot> snapshots)
    {
        foreach (IGrouping<Guid, VMSnapshot> byVm in snapshots.GroupBy(s => s.VMId))
        {
            VMSnapshot first = byVm.First();
            foreach (CheckpointInfo checkpoint in Find(FindVms([(first.VMId, first.VMName)]), [.. byVm.Select(s => s.Id.ToString())]))
            {
                yield return checkpoint;
            }
        }
    }

    protected void WriteSnapshot(CheckpointInfo? checkpoint)
    {
        if (checkpoint is not null)
        {
            WriteObject(VMSnapshot.From(checkpoint));
        }
    }
}
