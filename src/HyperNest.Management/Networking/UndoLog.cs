namespace HyperNest.Management.Networking;

/// <summary>
/// All-or-nothing changes to the host: each step done is recorded with its undo; on failure the undos run newest
/// first. An undo that fails too is passed over (the first failure is the one worth reporting).
/// </summary>
internal sealed class UndoLog
{
    private readonly Stack<Action> _undos = new();

    public void Do(Action action, Action undo)
    {
        action();
        _undos.Push(undo);
    }

    public void Rollback()
    {
        while (_undos.TryPop(out Action? undo))
        {
            try
            {
                undo();
            }
            catch (ManagementException)
            {
                // Best effort: the original failure is reported.
            }
        }
    }
}
