using HyperNest.Management.Store;

namespace HyperNest.Management.Networking;

/// <summary>Get-VMSwitch's answer: every readable switch, and one problem per unreadable record.</summary>
public sealed record SwitchListResult(IReadOnlyList<VirtualSwitchInfo> Switches, IReadOnlyList<StoreProblem> Problems);
