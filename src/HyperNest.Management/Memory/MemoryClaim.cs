namespace HyperNest.Management.Memory;

/// <summary>
/// One running VM as Dynamic Memory's balancer sees it: its memory settings (Set-VMMemory's, in bytes) and what its
/// guest needs now.
/// </summary>
/// <param name="VmId">The VM's id: the key of its target.</param>
/// <param name="Dynamic">Dynamic Memory on; a static VM always holds <paramref name="StartupBytes"/>.</param>
/// <param name="StartupBytes">What the VM booted with.</param>
/// <param name="MinimumBytes">Never less (Set-VMMemory -MinimumBytes).</param>
/// <param name="MaximumBytes">Never more (Set-VMMemory -MaximumBytes).</param>
/// <param name="Buffer">Percent of the demand kept on top of it (5–2000).</param>
/// <param name="Priority">Memory weight (0–100): under pressure, lower gives first.</param>
/// <param name="DemandBytes">Memory the guest cannot give (what it holds less what it has available, from its balloon statistics); null until
/// the guest has reported, and then the VM keeps its startup memory.</param>
public sealed record MemoryClaim(
    string VmId,
    bool Dynamic,
    ulong StartupBytes,
    ulong MinimumBytes,
    ulong MaximumBytes,
    int Buffer,
    int Priority,
    ulong? DemandBytes = null);
