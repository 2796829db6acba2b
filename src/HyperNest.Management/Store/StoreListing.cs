using HyperNest.Management.Model;

namespace HyperNest.Management.Store;

/// <summary>Every readable VM config in the store, and one problem per unreadable one.</summary>
public sealed record StoreListing(IReadOnlyList<VmConfiguration> Vms, IReadOnlyList<StoreProblem> Problems);
