using HyperNest.Management.Store;

namespace HyperNest.Management.Model;

/// <summary>Get-VM's answer: every readable VM, and one problem per VM whose config cannot be read.</summary>
public sealed record VmListResult(IReadOnlyList<VmInfo> Vms, IReadOnlyList<StoreProblem> Problems);
