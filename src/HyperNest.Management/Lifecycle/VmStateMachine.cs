using HyperNest.Management.Model;

namespace HyperNest.Management.Lifecycle;

/// <summary>
/// Hyper-V's state table: Start from Off/Saved/Paused; TurnOff from Running/Paused/Saved; Shutdown from Running;
/// Save from Running/Paused; Suspend from Running; Resume from Paused; Remove saved state from Saved; Restart from Running/Paused. Asking for
/// the state the VM is already in is a warning; anything else is refused with Hyper-V's message.
/// </summary>
public static class VmStateMachine
{
    public const string AlreadyInStateMessage = "The virtual machine is already in the specified state.";

    public const string InvalidStateMessage = "The operation cannot be performed while the virtual machine is in its current state.";

    /// <summary>Where a successful action leaves the VM.</summary>
    public static VmState TargetState(VmAction action) => action switch
    {
        VmAction.Start or VmAction.Resume or VmAction.Restart => VmState.Running,
        VmAction.TurnOff or VmAction.Shutdown or VmAction.RemoveSavedState => VmState.Off,
        VmAction.Save => VmState.Saved,
        VmAction.Suspend => VmState.Paused,
        _ => throw new ArgumentOutOfRangeException(nameof(action)),
    };

    public static IReadOnlyList<VmState> AllowedFrom(VmAction action) => action switch
    {
        VmAction.Start => [VmState.Off, VmState.Saved, VmState.Paused],
        VmAction.TurnOff => [VmState.Running, VmState.Paused, VmState.Saved],
        VmAction.Shutdown => [VmState.Running],
        VmAction.Save => [VmState.Running, VmState.Paused],
        VmAction.Suspend => [VmState.Running],
        VmAction.Resume => [VmState.Paused],
        VmAction.RemoveSavedState => [VmState.Saved],
        VmAction.Restart => [VmState.Running, VmState.Paused],
        _ => throw new ArgumentOutOfRangeException(nameof(action)),
    };

    public static TransitionVerdict Check(VmAction action, VmState state) =>
        AllowedFrom(action).Contains(state) ? TransitionVerdict.Allowed
        : TargetState(action) == state ? TransitionVerdict.AlreadyInState
        : TransitionVerdict.Invalid;

    /// <summary>True when the action should run; false (a warning) when the VM is already there; throws when refused.</summary>
    public static bool Ensure(VmAction action, VmState state, string vmName) => Check(action, state) switch
    {
        TransitionVerdict.Allowed => true,
        TransitionVerdict.AlreadyInState => false,
        _ => throw new VmStateException($"'{vmName}' failed to change state ({action} while {state}): {InvalidStateMessage}", state),
    };

    /// <summary>Hyper-V's rule for settings that only change while the VM is off (processor count, nested exposure, ...).</summary>
    public static void EnsureOff(VmState state, string vmName, string setting)
    {
        if (state != VmState.Off)
        {
            throw new VmStateException($"Cannot change {setting} of '{vmName}' while it is {state}: the virtual machine must be Off.", state);
        }
    }

    /// <summary>A setting a running VM takes at once: it must be Running or Paused, not on its way up or down.</summary>
    public static void EnsureRunning(VmState state, string vmName, string setting)
    {
        if (state is not (VmState.Running or VmState.Paused))
        {
            throw new VmStateException($"Cannot change {setting} of '{vmName}' while it is {state}: wait until it is Running, or until it is Off.", state);
        }
    }
}
