namespace HyperNest.Vmm.Devices.Virtio;

/// <summary>Save and restore of the balloon's own state (<see cref="BalloonState"/>).</summary>
public sealed partial class Balloon
{
    /// <summary>The balloon's state; nothing changes.</summary>
    public BalloonState Save() => new(Volatile.Read(ref _numPages), Volatile.Read(ref _actual), Volatile.Read(ref _heldStatistics));

    /// <summary>
    /// Puts the balloon where <paramref name="state"/> says. Call it after its transport's
    /// <see cref="MmioTransport.Restore"/>, whose activation of a running device starts with no stats buffer held.
    /// </summary>
    /// <exception cref="InvalidDataException">Sizes beyond guest RAM, or a buffer head no queue can have; nothing changes.</exception>
    public void Restore(BalloonState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        ulong pages = _memory.Size / PageSize;
        if (state.NumPages > pages || state.Actual > pages)
        {
            throw new InvalidDataException($"balloon state: {Math.Max(state.NumPages, state.Actual)} pages, more than the guest's {pages}");
        }

        if (state.HeldStatistics < -1 || state.HeldStatistics >= VirtQueue.MaxQueueSize || (state.HeldStatistics >= 0 && _statisticsQueue < 0))
        {
            throw new InvalidDataException($"balloon state: a held statistics buffer {state.HeldStatistics} with no statistics queue running");
        }

        Volatile.Write(ref _numPages, state.NumPages);
        Volatile.Write(ref _actual, state.Actual);
        Volatile.Write(ref _heldStatistics, state.HeldStatistics);
    }
}
