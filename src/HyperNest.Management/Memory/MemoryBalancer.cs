namespace HyperNest.Management.Memory;

/// <summary>
/// Dynamic Memory's rule: a VM is given its demand plus Buffer percent, within Minimum..Maximum (Hyper-V's). When the
/// host cannot give every VM that much, VMs give back in order of Priority, lowest first: a priority gives all it can
/// (first its buffers, then memory below demand, never below Minimum) before a higher one gives anything. VMs of one
/// priority share a cut in proportion to what each can give. Static VMs hold their startup memory and are served first.
/// </summary>
/// <remarks>
/// A pure function of its inputs, so every worker that runs it on the same claims reaches the same targets and
/// applies its own: no coordinator process.
/// </remarks>
public static class MemoryBalancer
{
    /// <summary>Targets are whole multiples of this (Hyper-V's 2 MB memory granularity; one virtio-mem block).</summary>
    public const ulong Grain = 2UL << 20;

    /// <summary>
    /// Each claim's target in bytes. <paramref name="budgetBytes"/> is what the host can give all these VMs together;
    /// the targets fit in it (give or take a grain per VM) unless the VMs' minimums alone do not.
    /// </summary>
    public static IReadOnlyDictionary<string, ulong> Targets(IReadOnlyList<MemoryClaim> claims, ulong budgetBytes)
    {
        var targets = new Dictionary<string, ulong>(StringComparer.Ordinal);
        ulong staticTotal = 0;
        foreach (MemoryClaim claim in claims.Where(c => !c.Dynamic))
        {
            targets[claim.VmId] = claim.StartupBytes;
            staticTotal += claim.StartupBytes;
        }

        List<MemoryClaim> dynamic = [.. claims.Where(c => c.Dynamic)];
        var wanted = dynamic.ToDictionary(c => c.VmId, Wanted, StringComparer.Ordinal);
        ulong budget = budgetBytes > staticTotal ? budgetBytes - staticTotal : 0;
        ulong excess = Sum(wanted.Values) is var total && total > budget ? total - budget : 0;

        foreach (IGrouping<int, MemoryClaim> group in dynamic.GroupBy(c => c.Priority).OrderBy(g => g.Key))
        {
            // Buffers first (down to the demand), then the demand itself (down to Minimum).
            excess = Give(group, wanted, c => Math.Max(c.MinimumBytes, Math.Min(wanted[c.VmId], c.DemandBytes ?? wanted[c.VmId])), excess);
            excess = Give(group, wanted, c => c.MinimumBytes, excess);
        }

        foreach ((string id, ulong target) in wanted)
        {
            targets[id] = target;
        }

        return targets;
    }

    /// <summary>Demand plus Buffer, on the grain, within Minimum..Maximum; Startup while the guest has not reported.</summary>
    private static ulong Wanted(MemoryClaim claim)
    {
        if (claim.DemandBytes is not { } demand)
        {
            return Math.Clamp(claim.StartupBytes, claim.MinimumBytes, claim.MaximumBytes);
        }

        UInt128 withBuffer = (UInt128)demand * (ulong)(100 + claim.Buffer) / 100;
        ulong rounded = withBuffer >= ulong.MaxValue - Grain ? ulong.MaxValue : RoundUp((ulong)withBuffer);
        return Math.Clamp(rounded, claim.MinimumBytes, claim.MaximumBytes);
    }

    /// <summary>
    /// Takes up to <paramref name="excess"/> from one priority's claims, each down to no less than
    /// <paramref name="floor"/>, in proportion to what each can give; returns what could not be taken.
    /// </summary>
    private static ulong Give(IEnumerable<MemoryClaim> group, Dictionary<string, ulong> wanted, Func<MemoryClaim, ulong> floor, ulong excess)
    {
        var givable = group.ToDictionary(c => c.VmId, c => wanted[c.VmId] > floor(c) ? wanted[c.VmId] - floor(c) : 0, StringComparer.Ordinal);
        ulong groupGivable = Sum(givable.Values);
        if (excess == 0 || groupGivable == 0)
        {
            return excess;
        }

        ulong cut = Math.Min(excess, groupGivable);
        foreach ((string id, ulong canGive) in givable.OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            // On the grain, never past its floor.
            ulong share = (ulong)((UInt128)cut * canGive / groupGivable);
            wanted[id] -= Math.Min(RoundUp(share), canGive);
        }

        return excess - cut;
    }

    private static ulong RoundUp(ulong bytes) => bytes % Grain == 0 ? bytes : bytes - bytes % Grain + Grain;

    private static ulong Sum(IEnumerable<ulong> values) => values.Aggregate(0UL, (sum, v) => sum + v);
}
