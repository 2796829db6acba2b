namespace HyperNest.Management.Model;

/// <summary>What <c>hnest host start-vms|stop-vms</c> did to one VM: the action it took and the state it left, or why it failed.</summary>
/// <param name="VmName">The VM.</param>
/// <param name="Action">Its automatic action (Start, StartIfRunning, TurnOff, Save, ShutDown).</param>
/// <param name="State">Its state afterwards.</param>
/// <param name="Problem">Why the action failed (the VM may then have been turned off instead); null when it did not.</param>
public sealed record AutomaticActionOutcome(string VmName, string Action, VmState State, string? Problem = null);
