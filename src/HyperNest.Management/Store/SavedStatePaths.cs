using HyperNest.Kvm;

namespace HyperNest.Management.Store;

/// <summary>
/// Where a VM's saved state goes — its state file and its memory file (<see cref="VmFolder.SavedStateFile"/>) — and
/// who may read them (the store's access: they hold everything the guest had in memory).
/// </summary>
/// <param name="State">The state file.</param>
/// <param name="Memory">The memory file, or the save area (a block device) inside an emulated host.</param>
/// <param name="Access">Who may read them.</param>
/// <param name="ReturnState">
/// Inside an emulated host: the state file's bytes go back in the save's answer (<see cref="Worker.ControlResponse.SavedState"/>)
/// and the file itself is deleted; the worker outside keeps them.
/// </param>
public sealed record SavedStatePaths(string State, string Memory, HostFileAccess Access, bool ReturnState = false);
