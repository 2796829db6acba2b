namespace HyperNest.Kvm;

/// <summary>A list of CPUID entries: what KVM supports (KVM_GET_SUPPORTED_CPUID) or what a vCPU is given.</summary>
public sealed class CpuidTable
{
    private readonly List<KvmCpuidEntry2> _entries;

    public CpuidTable(IEnumerable<KvmCpuidEntry2> entries) => _entries = [.. entries];

    public IReadOnlyList<KvmCpuidEntry2> Entries => _entries;

    public int Count => _entries.Count;

    /// <summary>The entry for a leaf and subleaf; subleaf matters only for entries flagged index-significant.</summary>
    public KvmCpuidEntry2? Find(uint function, uint index = 0)
    {
        foreach (KvmCpuidEntry2 entry in _entries)
        {
            if (entry.Function == function &&
                ((entry.Flags & KvmCpuidEntry2.FlagSignificantIndex) == 0 || entry.Index == index))
            {
                return entry;
            }
        }

        return null;
    }

    /// <summary>Replaces each entry with <paramref name="edit"/>'s result; a null result removes the entry.</summary>
    public CpuidTable Select(Func<KvmCpuidEntry2, KvmCpuidEntry2?> edit)
    {
        var result = new List<KvmCpuidEntry2>(_entries.Count);
        foreach (KvmCpuidEntry2 entry in _entries)
        {
            if (edit(entry) is { } kept)
            {
                result.Add(kept);
            }
        }

        return new CpuidTable(result);
    }

    /// <summary>Adds or replaces the entry with the same function and index.</summary>
    public CpuidTable With(KvmCpuidEntry2 entry)
    {
        var result = new List<KvmCpuidEntry2>(_entries.Count + 1);
        bool replaced = false;
        foreach (KvmCpuidEntry2 existing in _entries)
        {
            if (existing.Function == entry.Function && existing.Index == entry.Index)
            {
                result.Add(entry);
                replaced = true;
            }
            else
            {
                result.Add(existing);
            }
        }

        if (!replaced)
        {
            result.Add(entry);
        }

        return new CpuidTable(result);
    }
}
