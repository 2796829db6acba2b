using System.Text.Json;
using HyperNest.Management.Store;

namespace HyperNest.Management.Memory;

/// <summary>
/// memory.json, written only by a running VM's worker about once a second: the memory its guest holds and needs, and
/// its Dynamic Memory claim. Get-VM reads it for MemoryAssigned, MemoryDemand and MemoryStatus; every other worker's
/// balancer reads it to share the host's memory (<see cref="MemoryBalancer"/>).
/// </summary>
public sealed record VmMemoryReport
{
    /// <summary>A report older than this is from a worker that stopped writing: it is ignored.</summary>
    public static readonly TimeSpan StaleAfter = TimeSpan.FromSeconds(15);

    /// <summary>Memory the guest holds now, in bytes: boot memory plus plugged blocks, less what the balloon holds.</summary>
    public required ulong AssignedBytes { get; init; }

    /// <summary>Memory the guest cannot give: what it holds less what it has available (balloon statistics); null until it reports.</summary>
    public ulong? DemandBytes { get; init; }

    /// <summary>What the VM is being brought to (the balancer's target, or Startup for a static VM).</summary>
    public required ulong TargetBytes { get; init; }

    /// <summary>Host memory the VM occupies now (the worker's resident set), in bytes.</summary>
    public required ulong ResidentBytes { get; init; }

    /// <summary>Hyper-V's MemoryStatus: "" for a static VM; OK, Low (the buffer is short) or Warning (below demand).</summary>
    public required string Status { get; init; }

    /// <summary>What keeps the VM from its target, in words (the guest has no balloon driver, ...); null if nothing.</summary>
    public string? Problem { get; init; }

    public required MemoryClaim Claim { get; init; }

    public required DateTimeOffset UpdatedAt { get; init; }

    /// <summary>The VM's report, or null when there is none, it is unreadable, or stale.</summary>
    public static VmMemoryReport? Read(VmFolder folder)
    {
        try
        {
            VmMemoryReport? report = JsonSerializer.Deserialize(File.ReadAllBytes(folder.MemoryFile), ManagementJsonContext.Default.VmMemoryReport);
            return report is not null && DateTimeOffset.UtcNow - report.UpdatedAt < StaleAfter ? report : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            return null;
        }
    }

    public void Write(AtomicFile writer, VmFolder folder) =>
        writer.Write(folder.MemoryFile, JsonSerializer.SerializeToUtf8Bytes(this, ManagementJsonContext.Default.VmMemoryReport));
}
