using HyperNest.Kvm;

namespace HyperNest.Management.Store;

/// <summary>
/// Where a VM's saved state lives — its state file and its memory file (<see cref="VmFolder.SavedStateFile"/>) — and
/// who may read them (the store's access: they hold everything the guest had in memory).
/// </summary>
public sealed record SavedStatePaths(string State, string Memory, HostFileAccess Access);
