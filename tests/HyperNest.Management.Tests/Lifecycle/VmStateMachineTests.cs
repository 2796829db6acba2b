using HyperNest.Management.Lifecycle;
using HyperNest.Management.Model;

namespace HyperNest.Management.Tests.Lifecycle;

/// <summary>Every action from every state, against Hyper-V's table.</summary>
public sealed class VmStateMachineTests
{
    private const TransitionVerdict A = TransitionVerdict.Allowed, W = TransitionVerdict.AlreadyInState, X = TransitionVerdict.Invalid;

    // Columns: Off, Running, Paused, Saved, Starting, Stopping.
    public static TheoryData<VmAction, TransitionVerdict[]> Table => new()
    {
        { VmAction.Start, [A, W, A, A, X, X] },
        { VmAction.TurnOff, [W, A, A, A, X, X] },
        { VmAction.Shutdown, [W, A, X, X, X, X] },
        { VmAction.Save, [X, A, A, W, X, X] },
        { VmAction.Suspend, [X, A, W, X, X, X] },
        { VmAction.Resume, [X, W, A, X, X, X] },
        { VmAction.RemoveSavedState, [W, X, X, A, X, X] },
        { VmAction.Restart, [X, A, A, X, X, X] },
    };

    private static readonly VmState[] Columns = [VmState.Off, VmState.Running, VmState.Paused, VmState.Saved, VmState.Starting, VmState.Stopping];

    [Theory]
    [MemberData(nameof(Table))]
    public void Action_From_Each_State_Matches_Hyper_V(VmAction action, TransitionVerdict[] expected)
    {
        Assert.Equal(Enum.GetValues<VmState>().Length, Columns.Length);
        for (int i = 0; i < Columns.Length; i++)
        {
            Assert.True(expected[i] == VmStateMachine.Check(action, Columns[i]), $"{action} from {Columns[i]}: expected {expected[i]}");
        }
    }

    [Fact]
    public void Every_Action_Is_In_The_Table() =>
        Assert.Equal(Enum.GetValues<VmAction>().Length, Table.Count);

    [Fact]
    public void Invalid_Transition_Uses_Hyper_Vs_Message()
    {
        var e = Assert.Throws<VmStateException>(() => VmStateMachine.Ensure(VmAction.Resume, VmState.Off, "web"));

        Assert.EndsWith(VmStateMachine.InvalidStateMessage, e.Message);
        Assert.Equal(VmState.Off, e.State);
    }

    [Fact]
    public void Same_State_Request_Is_Not_An_Error() =>
        Assert.False(VmStateMachine.Ensure(VmAction.Start, VmState.Running, "web"));

    [Fact]
    public void Off_Only_Settings_Name_The_Current_State() =>
        Assert.Equal("Cannot change the processor count of 'web' while it is Running: the virtual machine must be Off.",
            Assert.Throws<VmStateException>(() => VmStateMachine.EnsureOff(VmState.Running, "web", "the processor count")).Message);
}
