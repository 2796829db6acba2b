using HyperNest.Management.Store;

namespace HyperNest.Management.Networking;

/// <summary>Every readable switch record in the store, and one problem per unreadable one.</summary>
public sealed record SwitchListing(IReadOnlyList<VirtualSwitch> Switches, IReadOnlyList<StoreProblem> Problems);
