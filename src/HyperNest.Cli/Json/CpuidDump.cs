namespace HyperNest.Cli.Json;

/// <summary><c>hnest debug cpuid --json</c>: the host's KVM module and what KVM_GET_SUPPORTED_CPUID returned.</summary>
public sealed record CpuidDump(string KvmModule, string? CpuModel, IReadOnlyList<CpuidEntryJson> Entries);
